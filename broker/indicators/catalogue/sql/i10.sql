select i.requested_at as at, i.person, 1 as value, i.holder as partner, i.holder_kind as partner_kind,
       case when i.outcome = 'refused' then 'geweigerd'
            when i.legal_basis in ('toestemming', 'bg_toestemming') then 'toestemming'
            when i.legal_basis in ('conflict_van_plichten', 'bg_conflict_van_plichten') then 'conflict_van_plichten'
            when i.legal_basis in ('wettelijk_voorschrift', 'bg_wettelijk_voorschrift') then 'wettelijk_voorschrift'
            else 'overig' end as code
from v_items i
where i.holder_kind = 'ggz' and i.outcome in ('disclosed', 'refused')
