-- What each refund of a payment a partner's own provider took was due to take back (core's ExternalRefundDues): the
-- refund's amount as far as the payment had it left, whether or not the wallet had it. Kept for good, as the ledger
-- is: a later refund of the payment counts it, months after the audit line that also says it was purged (30 days).
CREATE TABLE external_refund_dues (
    refund_id   text COLLATE "C" PRIMARY KEY,
    credit_id   text COLLATE "C" NOT NULL,
    due         bigint           NOT NULL CHECK (due > 0),
    recorded_at timestamptz      NOT NULL
);
CREATE INDEX external_refund_dues_payment ON external_refund_dues (credit_id, recorded_at);

-- The refunds taken back before this table, from their audit lines the cleanup has not purged yet (core's AuditNote
-- forms EXTERNAL_REFUNDED[_SHORT] and EXTERNAL_REFUNDED_PART[_SHORT]): what each took and could not take. The
-- provider and the payment id have no space, nor has a refund id; the line's correlation id is the payment's.
INSERT INTO external_refund_dues (refund_id, credit_id, due, recorded_at)
SELECT 'external-refund:' || m[1] || ':' || m[2] || COALESCE(' ' || m[3], ''), e.correlation_id,
       COALESCE(m[4], m[5])::bigint + COALESCE(m[6], '0')::bigint, e.at
FROM audit_events e
         CROSS JOIN LATERAL regexp_match(e.detail, '^(\S+) (\S+): (?:refund (\S+) of [0-9]+, took back ([0-9]+)|'
    || 'took back ([0-9]+) of [0-9]+)(?:; ([0-9]+) was spent before the refund: the shop''s loss)?$') AS m
WHERE e.action = 'topup.external_refund'
  AND e.correlation_id IS NOT NULL
  AND m IS NOT NULL
  AND COALESCE(m[4], m[5])::bigint + COALESCE(m[6], '0')::bigint > 0
ORDER BY e.at, e.id
ON CONFLICT (refund_id) DO NOTHING;
