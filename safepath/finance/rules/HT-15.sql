-- Each transaction is judged against the reporting profile of its jurisdiction
-- (reference/reporting_thresholds.yaml): the customer's country of residence when the amount is
-- in that profile's currency, else the home profile of the amount's currency (cash in CAD was
-- deposited in Canada), else the country of residence, else 'default'. Amounts are compared in
-- the profile's own currency; only an amount in another currency goes through the base rate.
WITH r AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch, t.currency, t.amount, t.amount_base,
           CASE WHEN t.direction = 'in' THEN 'cash' ELSE 'wire' END AS kind,
           coalesce(own.jurisdiction, home.jurisdiction, res.jurisdiction, 'default') AS jurisdiction
    FROM txn t
    LEFT JOIN cust k ON k.customer_id = t.customer_id
    LEFT JOIN ref_reporting own ON own.jurisdiction = k.residence_country AND own.currency = t.currency
    LEFT JOIN ref_reporting home ON home.currency = t.currency AND home.home_currency
    LEFT JOIN ref_reporting res ON res.jurisdiction = k.residence_country
    WHERE (t.direction = 'in' AND t.channel IN ('cash_branch', 'cash_atm'))
       OR (t.direction = 'out' AND t.channel IN ('wire', 'msb_remittance'))
), l AS (
    SELECT r.customer_id, r.txn_id, r.ts_epoch, r.kind,
           CASE WHEN r.currency = p.currency THEN r.amount ELSE r.amount_base END AS amt,
           CASE WHEN r.kind = 'cash' AND r.currency = p.currency THEN p.cash_threshold
                WHEN r.kind = 'cash' THEN p.cash_threshold_base
                WHEN r.currency = p.currency THEN p.wire_threshold
                ELSE p.wire_threshold_base END AS level
    FROM r JOIN ref_reporting p ON p.jurisdiction = r.jurisdiction
), c AS (
    SELECT customer_id, txn_id, ts_epoch, kind FROM l
    WHERE level IS NOT NULL AND amt >= {{band}} * level AND amt < level
), w AS (
    SELECT customer_id, txn_id, ts_epoch, kind,
           count(*) OVER (PARTITION BY customer_id, kind ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_count}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id, kind ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
