-- FinCEN FIN-2014-A008 S1/S2: several wires under the recordkeeping level to one beneficiary,
-- sent from different places. The level is the transaction's jurisdiction's (HT-15's
-- resolution: residence profile when the amount is in its currency, else the currency's home
-- profile, else residence, else 'default'), compared in that profile's own currency.
WITH r AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch, t.currency, t.amount, t.amount_base,
           lower(t.merchant_city) AS place, coalesce(t.cp_account, t.cp_name) AS beneficiary,
           coalesce(own.jurisdiction, home.jurisdiction, res.jurisdiction, 'default') AS jurisdiction
    FROM txn t
    LEFT JOIN cust k ON k.customer_id = t.customer_id
    LEFT JOIN ref_reporting own ON own.jurisdiction = k.residence_country AND own.currency = t.currency
    LEFT JOIN ref_reporting home ON home.currency = t.currency AND home.home_currency
    LEFT JOIN ref_reporting res ON res.jurisdiction = k.residence_country
    WHERE t.direction = 'out' AND t.channel IN ('wire', 'msb_remittance')
      AND coalesce(t.cp_account, t.cp_name) IS NOT NULL
), c AS (
    SELECT r.customer_id, r.txn_id, r.beneficiary, r.place,
           floor(r.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM r JOIN ref_reporting p ON p.jurisdiction = r.jurisdiction
    WHERE p.wire_threshold IS NULL
       OR (r.currency = p.currency AND r.amount < p.wire_threshold)
       OR (r.currency <> p.currency AND r.amount_base < p.wire_threshold_base)
), b AS (
    SELECT customer_id, beneficiary, bucket FROM c GROUP BY customer_id, beneficiary, bucket
    HAVING count(*) >= {{min_count}} AND count(DISTINCT place) >= {{min_places}}
)
SELECT c.customer_id, c.txn_id FROM c
JOIN b ON b.customer_id = c.customer_id AND b.beneficiary = c.beneficiary AND b.bucket = c.bucket
