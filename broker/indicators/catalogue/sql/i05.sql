-- Answered by each of politie, GGZ, OM and AIVD before the decision (a refusal or "not found" is an answer).
select vc.decided_at as at, vc.person,
       case when count(distinct a.holder_kind) = 4 then 1 else 0 end as value,
       vc.region
from v_cases vc
left join (select i.case_id, i.holder_kind, min(i.answered_at) as answered_at
           from v_items i
           where i.holder_kind in ('politie', 'ggz', 'om', 'aivd')
             and i.outcome in ('disclosed', 'refused', 'not_found')
           group by i.case_id, i.holder_kind) a
  on a.case_id = vc.case_id and a.answered_at <= vc.decided_at
where vc.decided_at is not null
group by vc.case_id, vc.decided_at, vc.person, vc.region
