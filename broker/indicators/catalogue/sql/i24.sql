select vc.included_at as at, vc.person,
       case when exists (select 1 from case_events e
                         where e.case_id = vc.case_id and e.type = 'incident_gemeld'
                           and e.recorded_at > vc.included_at and e.recorded_at < :now) then 1 else 0 end as value,
       vc.region
from v_cases vc where vc.included_at is not null
