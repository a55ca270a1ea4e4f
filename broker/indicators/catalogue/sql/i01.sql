select vc.reported_at as at, vc.person, 1 as value,
       vc.source as partner, p.kind as partner_kind, vc.region, vc.channel as code
from v_cases vc left join v_partners p on p.id = vc.source
