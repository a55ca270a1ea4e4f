-- A refusal with a reason is an answer; reviews still within their due time are left out.
select i.requested_at as at, i.person,
       case when i.outcome in ('disclosed', 'refused', 'not_found') then 1 else 0 end as value,
       i.holder as partner, i.holder_kind as partner_kind
from v_items i
where i.outcome in ('disclosed', 'refused', 'not_found', 'error')
   or (i.outcome = 'pending_review' and i.due_at < :now)
