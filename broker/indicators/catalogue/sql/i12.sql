-- Per request: denied by a need-to-know rule (reason codes NTK_*) for at least one item.
-- The reasons are read only for denied items (a nested case fixes the order of evaluation).
select i.requested_at as at, i.person,
       max(case when i.outcome <> 'denied' then 0
                when jsonb_path_exists(i.reasons, '$[*] ? (@.code starts with "NTK_")') then 1
                else 0 end) as value,
       i.requester_kind as partner_kind
from v_items i
group by i.request_id, i.requested_at, i.person, i.requester_kind
