WITH ids AS (
    SELECT customer_id, 'phone' AS kind, phone_hash AS value FROM cust WHERE phone_hash IS NOT NULL
    UNION ALL SELECT customer_id, 'email', email_hash FROM cust WHERE email_hash IS NOT NULL
    UNION ALL SELECT customer_id, 'address', address_hash FROM cust WHERE address_hash IS NOT NULL
), shared AS (
    SELECT kind, value FROM ids GROUP BY kind, value HAVING count(DISTINCT customer_id) >= {{min_customers}}
)
SELECT DISTINCT ids.customer_id, CAST(NULL AS VARCHAR) AS txn_id
FROM ids JOIN shared ON ids.kind = shared.kind AND ids.value = shared.value
