WITH s AS (
    SELECT customer_id, txn_id, ts_epoch, direction, amount_base,
           sum(CASE WHEN direction = 'out' THEN amount_base ELSE 0 END) OVER (
               PARTITION BY customer_id ORDER BY ts_epoch
               RANGE BETWEEN CURRENT ROW AND {{hours_out}} * 3600 FOLLOWING) AS out_after
    FROM txn
), c AS (
    SELECT customer_id, txn_id, ts_epoch FROM s
    WHERE direction = 'in' AND amount_base >= {{min_amount}} AND out_after >= {{out_ratio}} * amount_base
), w AS (
    SELECT customer_id, txn_id, ts_epoch,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_cycles}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
