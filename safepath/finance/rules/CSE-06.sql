WITH c AS (
    SELECT customer_id, txn_id FROM txn
    WHERE direction = 'out' AND merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'anonymity_tools')
), b AS (SELECT customer_id FROM c GROUP BY customer_id HAVING count(*) >= {{min_count}})
SELECT customer_id, txn_id FROM c WHERE customer_id IN (SELECT customer_id FROM b)
