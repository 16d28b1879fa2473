WITH c AS (
    SELECT customer_id, txn_id, lower(merchant_city) AS city,
           floor(ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn
    WHERE direction = 'out' AND channel IN ('card_pos', 'card_cnp')
      AND (mcc IN (SELECT mcc FROM ref_mcc WHERE grp = 'lodging')
           OR merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'p2p_lodging'))
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(*) >= {{min_count}} AND count(DISTINCT city) >= {{min_cities}}
)
SELECT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
