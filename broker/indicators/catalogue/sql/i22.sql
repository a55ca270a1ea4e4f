select d.review_at as at, d.person,
       case when exists (select 1 from case_events m
                         where m.case_id = d.case_id and m.type = 'monitoringscontact'
                           and m.recorded_at > d.assessed_at and m.recorded_at < d.review_at) then 1 else 0 end as value,
       d.region
from (select e.case_id, e.person, e.region, e.at as assessed_at,
             coalesce((e.data ->> 'volgendeBeoordeling')::date::timestamp at time zone 'Europe/Amsterdam',
                      e.at + interval '30 days') as review_at
      from v_events e where e.type = 'risicotaxatie_afgerond') d
join v_cases vc on vc.case_id = d.case_id
where d.review_at <= :now and (vc.ended_at is null or vc.ended_at >= d.review_at)
