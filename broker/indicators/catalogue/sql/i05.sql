select vc.decided_at as at, vc.person,
       case when (select count(distinct i.holder_kind) from v_items i
                  where i.case_id = vc.case_id
                    and i.holder_kind in ('politie', 'ggz', 'om', 'aivd')
                    and i.outcome in ('disclosed', 'refused', 'not_found')
                    and i.answered_at <= vc.decided_at) = 4 then 1 else 0 end as value,
       vc.region
from v_cases vc
where vc.decided_at is not null
