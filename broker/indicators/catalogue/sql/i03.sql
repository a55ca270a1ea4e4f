select vc.decided_at as at, vc.person,
       extract(epoch from vc.decided_at - vc.reported_at) / 86400.0 as value,
       p.kind as partner_kind, vc.region
from v_cases vc left join v_partners p on p.id = vc.source
where vc.decided_at is not null
