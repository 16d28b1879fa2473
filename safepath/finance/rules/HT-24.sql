WITH c AS (
    SELECT customer_id, txn_id FROM txn
    WHERE direction = 'out'
      AND (cp_name IN (SELECT name FROM merchant_grp WHERE grp = 'recruitment_watch')
           OR merchant_name IN (SELECT name FROM merchant_grp WHERE grp = 'recruitment_watch')
           OR memo IN (SELECT memo FROM memo_grp WHERE grp = 'recruitment_fee'))
), b AS (SELECT customer_id FROM c GROUP BY customer_id HAVING count(*) >= {{min_count}})
SELECT customer_id, txn_id FROM c WHERE customer_id IN (SELECT customer_id FROM b)
