select e.at, e.person,
       case when a.at is not null then 1 else 0 end as value,
       extract(epoch from a.at - e.at) / 86400.0 as duration,
       e.data ->> 'leadPartner' as partner, p.kind as partner_kind, e.region
from v_events e
left join lateral (select min(x.recorded_at) as at from case_events x
                   where x.case_id = e.case_id and x.type = 'aanpak_geaccepteerd' and x.seq > e.seq) a on true
left join v_partners p on p.id = e.data ->> 'leadPartner'
where e.type = 'aanpak_gepland'
