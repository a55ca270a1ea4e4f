select i.requested_at as at, i.person, 1 as value,
       i.holder as partner, i.holder_kind as partner_kind, i.outcome as code
from v_items i
