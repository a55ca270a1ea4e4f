-- One observation per reporting unit per period: its first report.
select at, person, 1 as value, partner_kind from (
  select vc.reported_at as at, vc.person, p.kind as partner_kind,
         row_number() over (
           partition by vc.source, vc.reporting_unit,
                        date_trunc(:period, vc.reported_at, 'Europe/Amsterdam')
           order by vc.reported_at) as nr
  from v_cases vc left join v_partners p on p.id = vc.source
  where vc.reported_at >= :from and vc.reported_at < :to
) u where nr = 1
