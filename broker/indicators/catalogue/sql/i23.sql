select t.last_at as at, t.person, case when t.last_level < t.first_level then 1 else 0 end as value, t.region
from (
  select e.case_id, e.person, e.region, max(e.at) as last_at, count(*) as n,
         (array_agg(array_position(array['laag', 'midden', 'hoog'], e.data ->> 'zorgniveau') order by e.seq))[1] as first_level,
         (array_agg(array_position(array['laag', 'midden', 'hoog'], e.data ->> 'zorgniveau') order by e.seq desc))[1] as last_level
  from v_events e
  where e.type = 'risicotaxatie_afgerond' and e.at < :to
  group by e.case_id, e.person, e.region
) t
where t.n >= 2
