-- A GGZ refusal or "not found" is a GGZ answer too.
select e.at, e.person,
       case when g.first_answer <= e.at then 1 else 0 end as value,
       e.region
from v_events e
left join (select i.case_id, min(i.answered_at) as first_answer
           from v_items i
           where i.holder_kind = 'ggz' and i.outcome in ('disclosed', 'refused', 'not_found')
           group by i.case_id) g on g.case_id = e.case_id
where e.type = 'risicotaxatie_afgerond'
