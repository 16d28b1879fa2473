WITH c AS (
    SELECT customer_id, txn_id FROM txn
    WHERE direction = 'out' AND merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'tppp')
      AND mcc IN (SELECT mcc FROM ref_mcc WHERE grp IN ('streaming_dating', 'adult_venue'))
), b AS (SELECT customer_id FROM c GROUP BY customer_id HAVING count(*) >= {{min_count}})
SELECT customer_id, txn_id FROM c WHERE customer_id IN (SELECT customer_id FROM b)
