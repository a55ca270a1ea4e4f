-- A GGZ refusal or "not found" is a GGZ answer too.
select e.at, e.person,
       case when exists (select 1 from v_items i
                         where i.case_id = e.case_id and i.holder_kind = 'ggz'
                           and i.outcome in ('disclosed', 'refused', 'not_found')
                           and i.answered_at <= e.at) then 1 else 0 end as value,
       e.region
from v_events e
where e.type = 'risicotaxatie_afgerond'
