select i.requested_at as at, i.person,
       extract(epoch from i.answered_at - i.requested_at) / 3600.0 as value,
       i.holder as partner, i.holder_kind as partner_kind
from v_items i
where i.outcome in ('disclosed', 'refused', 'not_found') and i.answered_at is not null
