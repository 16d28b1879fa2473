WITH t AS (
    SELECT customer_id, txn_id, amount_base, floor(ts_epoch / ({{window_days}} * 86400)) AS bucket,
           CASE WHEN merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'tppp')
                  OR cp_name IN (SELECT name FROM merchant_grp WHERE grp = 'tppp') THEN 1 ELSE 0 END AS tppp
    FROM txn WHERE direction = 'out'
), b AS (
    SELECT customer_id, bucket FROM t GROUP BY customer_id, bucket
    HAVING sum(tppp) >= {{min_count}}
       AND sum(CASE WHEN tppp = 1 THEN amount_base ELSE 0 END) > {{min_share}} * sum(amount_base)
)
SELECT t.customer_id, t.txn_id FROM t JOIN b ON t.customer_id = b.customer_id AND t.bucket = b.bucket
WHERE t.tppp = 1
