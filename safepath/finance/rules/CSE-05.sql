WITH c AS (
    SELECT customer_id, txn_id FROM txn t
    WHERE direction = 'out' AND (
        memo IN (SELECT memo FROM memo_grp WHERE grp = 'cse_explicit')
        OR (memo IN (SELECT memo FROM memo_grp WHERE grp = 'cse_cover')
            AND amount_base <= {{max_amount}}
            AND cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
            -- family remittances carry the same memos: no family link to that country
            AND NOT EXISTS (SELECT 1 FROM cust k WHERE k.customer_id = t.customer_id
                            AND t.cp_country IN (k.nationality, k.residence_country))))
), b AS (SELECT customer_id FROM c GROUP BY customer_id HAVING count(*) >= {{min_count}})
SELECT customer_id, txn_id FROM c WHERE customer_id IN (SELECT customer_id FROM b)
