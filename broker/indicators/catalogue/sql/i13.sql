-- Reviewed: a breakglass.reviewed log entry naming the request within 72 hours.
select r.created_at as at, r.subject_pseudonym as person,
       case when b.reviewed_at <= r.created_at + interval '72 hours' then 1 else 0 end as value,
       p.kind as partner_kind
from info_requests r
join v_partners p on p.id = r.requester_partner_id
left join (select (a.body::jsonb) ->> 'requestId' as request_id, min(a.recorded_at) as reviewed_at
           from audit_entries a
           where a.type = 'breakglass.reviewed'
           group by 1) b on b.request_id = r.id
where r.purpose = 'acuut_gevaar'
