WITH c AS (
    SELECT customer_id, txn_id, ts_epoch FROM txn
    WHERE direction = 'out' AND amount_base <= {{max_amount}}
      AND (channel = 'crypto' OR mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'crypto')
           OR merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'crypto_onramp'))
), w AS (
    SELECT customer_id, txn_id, ts_epoch,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_count}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
UNION
SELECT customer_id, txn_id FROM txn WHERE crypto_tag IN {{tags}}
