select i.requested_at as at, i.person,
       case when i.legal_basis is not null and i.legal_basis <> '' then 1 else 0 end as value,
       i.holder as partner, i.holder_kind as partner_kind
from v_items i
where i.outcome = 'disclosed'
