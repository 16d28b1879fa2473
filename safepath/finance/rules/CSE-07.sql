WITH c AS (
    SELECT customer_id, txn_id, ts_epoch FROM txn
    WHERE direction = 'out' AND channel IN ('card_cnp', 'card_pos', 'p2p', 'etransfer')
      AND (mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'streaming_dating')
           OR merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'live_streaming'))
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
