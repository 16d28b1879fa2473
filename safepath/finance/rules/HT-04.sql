WITH c AS (
    SELECT t.customer_id, t.txn_id, r.grp, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t JOIN ref_mcc r ON r.mcc = t.mcc AND r.grp IN (SELECT grp FROM ref_basket)
    WHERE t.direction = 'out' AND t.channel IN ('card_pos', 'card_cnp')
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(DISTINCT grp) >= {{min_categories}} AND count(DISTINCT txn_id) >= {{min_count}}
)
SELECT DISTINCT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
