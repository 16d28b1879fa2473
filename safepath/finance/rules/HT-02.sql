-- Sliding window (a trip that straddles a calendar boundary still counts), any outgoing
-- channel with a lodging MCC (motels are also paid at the desk in cash or by transfer).
WITH c AS (
    SELECT customer_id, txn_id, ts_epoch, lower(coalesce(merchant_city, merchant_name, txn_id)) AS city
    FROM txn
    WHERE direction = 'out'
      AND (mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'lodging')
           OR merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'p2p_lodging'))
), w AS (
    SELECT a.customer_id, a.txn_id, a.ts_epoch, count(*) AS n, count(DISTINCT b.city) AS k
    FROM c AS a JOIN c AS b ON b.customer_id = a.customer_id
      AND b.ts_epoch BETWEEN a.ts_epoch - {{window_days}} * 86400 AND a.ts_epoch
    GROUP BY a.customer_id, a.txn_id, a.ts_epoch
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_count}} AND k >= {{min_cities}} THEN 1 ELSE 0 END) OVER (
               PARTITION BY customer_id ORDER BY ts_epoch
               RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
