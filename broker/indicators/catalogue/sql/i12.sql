-- Per request: denied by a need-to-know rule (reason codes NTK_*) for at least one item.
select i.requested_at as at, i.person,
       max(case when i.outcome = 'denied'
                 and exists (select 1 from jsonb_array_elements(i.reasons) r
                             where left(r ->> 'code', 4) = 'NTK_') then 1 else 0 end) as value,
       i.requester_kind as partner_kind
from v_items i
group by i.request_id, i.requested_at, i.person, i.requester_kind
