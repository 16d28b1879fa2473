WITH c AS (
    SELECT t.customer_id, t.txn_id, r.grp, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t JOIN cust k ON k.customer_id = t.customer_id
    JOIN ref_mcc r ON r.mcc = t.mcc AND r.grp IN ('lodging', 'vehicle_rental', 'grocery_bulk')
    WHERE k.customer_type = 'business' AND t.direction = 'out'
), b AS (
    SELECT customer_id, bucket FROM c GROUP BY customer_id, bucket
    HAVING count(DISTINCT txn_id) >= {{min_count}} AND count(DISTINCT grp) >= {{min_groups}}
)
SELECT DISTINCT c.customer_id, c.txn_id FROM c JOIN b ON c.customer_id = b.customer_id AND c.bucket = b.bucket
