WITH c AS (
    SELECT customer_id, txn_id, ts_epoch, 'cash' AS kind FROM txn
    WHERE direction = 'in' AND channel IN ('cash_branch', 'cash_atm')
      AND amount_base >= {{band}} * {{cash_threshold}} AND amount_base < {{cash_threshold}}
    UNION ALL
    SELECT customer_id, txn_id, ts_epoch, 'wire' AS kind FROM txn
    WHERE direction = 'out' AND channel IN ('wire', 'msb_remittance')
      AND amount_base >= {{band}} * {{wire_threshold}} AND amount_base < {{wire_threshold}}
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
