select * from (
  select (a.data ->> 'deadline')::date::timestamp at time zone 'Europe/Amsterdam' as at, a.person,
         case when exists (select 1 from case_events f
                           where f.case_id = a.case_id and f.type = 'actie_afgerond'
                             and f.data ->> 'actieId' = a.data ->> 'actieId'
                             and f.recorded_at < ((a.data ->> 'deadline')::date + 1)::timestamp
                                                 at time zone 'Europe/Amsterdam') then 1 else 0 end as value,
         a.data ->> 'eigenaar' as partner, p.kind as partner_kind
  from v_events a left join v_partners p on p.id = a.data ->> 'eigenaar'
  where a.type = 'actie_afgesproken'
) x
where x.value = 1 or x.at + interval '1 day' <= :now
