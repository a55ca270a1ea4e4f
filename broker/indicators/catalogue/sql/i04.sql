select vc.decided_at as at, vc.person,
       case when vc.decision = 'in' then 1 else 0 end as value,
       case when vc.decision = 'in' then 'in' else coalesce(vc.exclusion_reason, 'anders') end as code,
       vc.region
from v_cases vc
where vc.decided_at is not null
