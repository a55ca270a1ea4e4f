select d.review_at as at, d.person,
       case when exists (select 1 from case_events r
                         where r.case_id = d.case_id and r.type = 'risicotaxatie_afgerond'
                           and r.seq > d.seq and r.recorded_at < d.review_at + interval '1 day') then 1 else 0 end as value,
       d.region
from (select e.seq, e.case_id, e.person, e.region,
             (e.data ->> 'volgendeBeoordeling')::date::timestamp at time zone 'Europe/Amsterdam' as review_at
      from v_events e where e.type = 'risicotaxatie_afgerond') d
join v_cases vc on vc.case_id = d.case_id
where d.review_at + interval '1 day' <= :now
  and (vc.ended_at is null or vc.ended_at >= d.review_at)
