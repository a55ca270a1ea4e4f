select * from (
  select vc.reported_at as at, vc.person,
         case when exists (select 1 from case_events e
                           where e.case_id = vc.case_id and e.type = 'terugkoppeling_gegeven'
                             and e.data ->> 'aan' = vc.source
                             and e.recorded_at <= vc.reported_at + interval '30 days') then 1 else 0 end as value,
         vc.source as partner, p.kind as partner_kind, vc.region
  from v_cases vc left join v_partners p on p.id = vc.source
) x
-- Cases still inside their 30 days are not yet a miss.
where x.value = 1 or x.at <= :now - interval '30 days'
