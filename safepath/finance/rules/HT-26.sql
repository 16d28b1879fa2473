-- FinCEN FIN-2014-A008 S3/S3b/S4: the border beneficiary receives wires from high-migrant
-- countries it has no link to (neither nationality nor residence) and takes them out in cash.
-- A wire counts when cash withdrawals in the hours_out hours after it reach out_ratio of it.
WITH inw AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch, t.amount_base
    FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
    WHERE t.direction = 'in' AND t.channel IN ('wire', 'msb_remittance')
      AND t.cp_country IN (SELECT country FROM ref_country WHERE grp = 'ht_corridors')
      AND t.cp_country <> coalesce(k.nationality, '') AND t.cp_country <> coalesce(k.residence_country, '')
), cash AS (
    SELECT customer_id, txn_id, ts_epoch, amount_base FROM txn
    WHERE direction = 'out' AND channel IN ('cash_branch', 'cash_atm')
      AND customer_id IN (SELECT customer_id FROM inw)
), emptied AS (
    SELECT i.customer_id, i.txn_id, i.ts_epoch
    FROM inw i JOIN cash c ON c.customer_id = i.customer_id
      AND c.ts_epoch >= i.ts_epoch AND c.ts_epoch <= i.ts_epoch + {{hours_out}} * 3600
    GROUP BY i.customer_id, i.txn_id, i.ts_epoch, i.amount_base
    HAVING sum(c.amount_base) >= {{out_ratio}} * i.amount_base
), w AS (
    SELECT customer_id, txn_id, ts_epoch,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM emptied
), e AS (
    SELECT customer_id, txn_id, ts_epoch,
           max(CASE WHEN n >= {{min_count}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
-- evidence: the wires, and the cash withdrawals that emptied them
SELECT customer_id, txn_id FROM e WHERE hit = 1
UNION
SELECT c.customer_id, c.txn_id FROM e JOIN cash c ON c.customer_id = e.customer_id
  AND c.ts_epoch >= e.ts_epoch AND c.ts_epoch <= e.ts_epoch + {{hours_out}} * 3600
WHERE e.hit = 1
