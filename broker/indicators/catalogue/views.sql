-- Evaluation views every indicator query can read (prefixed as CTEs); see ../README.md.
v_partners as (
  -- The AIVD appears only as its kind, never by id.
  select id, kind, case when kind = 'aivd' then 'aivd' else id end as label from partners
),
v_cases as (
  select c.id as case_id, c.subject_pseudonym as person, c.created_at as opened_at,
         coalesce(m.recorded_at, c.created_at) as reported_at,
         m.data ->> 'regio' as region, m.data ->> 'bron' as source,
         m.data ->> 'eenheid' as reporting_unit, m.data ->> 'kanaal' as channel,
         d.recorded_at as decided_at, d.data ->> 'besluit' as decision,
         d.data ->> 'redenCode' as exclusion_reason,
         case when d.data ->> 'besluit' = 'in' then d.recorded_at end as included_at,
         c.closed_at as ended_at
  from cases c
  -- The first report and the first inclusion decision of each case (one pass each, not per case).
  left join (select distinct on (e.case_id) e.case_id, e.data, e.recorded_at from case_events e
             where e.type = 'melding_ontvangen' order by e.case_id, e.seq) m on m.case_id = c.id
  left join (select distinct on (e.case_id) e.case_id, e.data, e.recorded_at from case_events e
             where e.type = 'inclusiebesluit' order by e.case_id, e.seq) d on d.case_id = c.id
),
v_events as (
  select e.seq, e.case_id, e.type, e.data, e.recorded_at as at, vc.person, vc.region
  from case_events e join v_cases vc on vc.case_id = e.case_id
),
v_items as (
  -- An item sent to review keeps outcome pending_review; the review holds what became of it.
  select r.id as request_id, r.case_id, r.purpose, r.created_at as requested_at,
         r.subject_pseudonym as person, r.requester_partner_id as requester, rq.kind as requester_kind,
         i.idx, i.category, i.holder_partner_id as holder, h.kind as holder_kind,
         case when i.outcome <> 'pending_review' then i.outcome
              when rv.status = 'released' then 'disclosed'
              when rv.status = 'refused' then 'refused'
              when rv.status = 'cancelled' then 'denied'
              else 'pending_review' end as outcome,
         -- Reasons only of denied items: the others carry long texts that no indicator reads.
         case when i.outcome = 'denied' or (i.outcome = 'pending_review' and rv.status = 'cancelled')
              then i.reasons end as reasons,
         coalesce(i.legal_basis, rv.decision ->> 'ground') as legal_basis,
         case when i.outcome = 'pending_review' then rv.decided_at else i.answered_at end as answered_at,
         rv.due_at, vc.region
  from info_requests r
  join request_items i on i.request_id = r.id
  join v_partners rq on rq.id = r.requester_partner_id
  join v_partners h on h.id = i.holder_partner_id
  left join reviews rv on rv.request_id = i.request_id and rv.idx = i.idx
  left join v_cases vc on vc.case_id = r.case_id
)
