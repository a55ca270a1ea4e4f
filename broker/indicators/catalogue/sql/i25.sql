select e.at, e.person, extract(epoch from e.at - vc.reported_at) / 86400.0 as value,
       e.data ->> 'redenCode' as code, e.region
from v_events e join v_cases vc on vc.case_id = e.case_id
where e.type = 'zaak_gesloten'
