WITH c AS (
    SELECT t.customer_id, t.txn_id, t.cp_account, coalesce(k.address_hash, t.customer_id) AS household
    FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
    WHERE t.direction = 'out' AND t.channel IN ('p2p', 'etransfer', 'wire', 'msb_remittance') AND t.cp_account IS NOT NULL
      -- cross-border fan-in (FinCEN S1 border beneficiaries abroad, AUSTRAC A2): friends and
      -- landlords paid by many people at home are not hubs
      AND t.cp_country IS NOT NULL AND t.cp_country <> coalesce(k.residence_country, '')
), hubs AS (
    SELECT cp_account FROM c GROUP BY cp_account
    HAVING count(DISTINCT customer_id) >= {{min_senders}} AND count(DISTINCT household) >= {{min_senders}}
)
SELECT c.customer_id, c.txn_id FROM c WHERE c.cp_account IN (SELECT cp_account FROM hubs)
