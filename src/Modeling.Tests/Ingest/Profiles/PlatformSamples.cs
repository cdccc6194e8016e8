namespace Clv.Testing;

/// <summary>
/// Order exports as the shop platforms write them, with the columns their documentation lists, and the figures a
/// correct reading gives: rows, accepted, skipped (further lines of an order), excluded (not revenue), rejected,
/// customers and total spend (refunds netted, each order counted once).
/// </summary>
internal static class PlatformSamples
{
    /// <summary>The secret the samples' e-mail addresses are keyed with.</summary>
    public const string IdKey = "test-key-0123456789abcdef0123456789";

    /// <summary>Every raw e-mail address in the samples (none may reach partials, tables or logs).</summary>
    public static IReadOnlyList<string> Emails { get; } =
    [
        "jane@example.com", "JOHN@example.com", "john@example.com", "ann@example.com", "bob@example.com", "carl@example.com",
        "anna.k@example.org", "ben@example.org", "Anna.K@Example.org", "dee@example.org", "eve@example.org", "guest@example.net",
        "pay@example.net", "mo@example.com", "li@example.com", "sam@example.com", "kim@example.com", "rae@example.com", "zed@example.com",
    ];

    /// <summary>
    /// Shopify Admin, Orders, Export: one row per line item; order-level fields on each order's first row only.
    /// #1001 paid (two lines); #1002 partially refunded (80 - 20); #1003 refunded, #1004 voided, #1005 pending (not
    /// revenue); #1006 paid, the same customer as #1002 in another case, three lines; #1007 in USD (another currency).
    /// </summary>
    public static Sample Shopify { get; } = new(
        "shopify-orders",
        "orders_export_1.csv",
        """
        Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing City,Billing Country,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Outstanding Balance,Id,Tags,Risk Level,Source,Phone
        #1001,jane@example.com,paid,2025-10-07 09:50:30 +0200,fulfilled,2025-10-08 10:00:00 +0200,yes,EUR,45.00,5.00,4.50,54.50,,0.00,Standard,2025-10-07 09:50:26 +0200,1,"Linen shirt, blue",30.00,,LS-BL-M,true,true,fulfilled,Jane Roe,Berlin,DE,,,Shopify Payments,0.00,Acme,0.00,5512345678901,,Low,web,
        #1001,,,,,,,,,,,,,,,2025-10-07 09:50:26 +0200,1,Socks,15.00,,SO-01,true,true,fulfilled,,,,,,,,Acme,,,,,,
        #1002,JOHN@example.com,partially_refunded,2025-10-08 23:30:05 +0200,fulfilled,,no,EUR,75.00,5.00,7.50,80.00,WELCOME,0.00,Standard,2025-10-08 23:30:00 +0200,2,Mug,37.50,,MG-02,true,true,fulfilled,John Doe,Hamburg,DE,,,Shopify Payments,20.00,Acme,0.00,5512345678902,,Low,web,+49 170 1234567
        #1003,jane@example.com,refunded,2025-10-09 12:00:00 +0200,fulfilled,,yes,EUR,30.00,0.00,3.00,30.00,,0.00,,2025-10-09 11:59:00 +0200,1,Cap,20.00,,CP-01,true,true,fulfilled,Jane Roe,Berlin,DE,,,Shopify Payments,30.00,Acme,0.00,5512345678903,,Low,web,
        #1003,,,,,,,,,,,,,,,2025-10-09 11:59:00 +0200,1,Pin,10.00,,PN-01,true,true,fulfilled,,,,,,,,Acme,,,,,,
        #1004,ann@example.com,voided,,unfulfilled,,no,EUR,15.00,0.00,1.50,15.00,,0.00,,2025-10-10 08:00:00 +0200,1,Card,15.00,,CD-01,true,true,pending,Ann Lee,Munich,DE,,2025-10-10 09:00:00 +0200,Shopify Payments,0.00,Acme,0.00,5512345678904,,Low,web,
        #1005,bob@example.com,pending,,unfulfilled,,no,EUR,40.00,0.00,4.00,40.00,,0.00,,2025-10-11 08:00:00 +0200,1,Bag,40.00,,BG-01,true,true,pending,Bob Ray,Cologne,DE,,,Bank Deposit,0.00,Acme,40.00,5512345678905,,Low,web,
        #1006,john@example.com,paid,2025-11-01 08:00:10 -0500,fulfilled,,no,EUR,25.00,0.00,2.50,25.00,,0.00,Standard,2025-11-01 08:00:00 -0500,1,Tea,10.00,,TE-01,true,true,fulfilled,John Doe,Hamburg,DE,,,Shopify Payments,0.00,Acme,0.00,5512345678906,,Low,web,
        #1006,,,,,,,,,,,,,,,2025-11-01 08:00:00 -0500,1,Honey,10.00,,HN-01,true,true,fulfilled,,,,,,,,Acme,,,,,,
        #1006,,,,,,,,,,,,,,,2025-11-01 08:00:00 -0500,1,Spoon,5.00,,SP-01,true,true,fulfilled,,,,,,,,Acme,,,,,,
        #1007,carl@example.com,paid,2025-11-02 10:00:00 -0500,fulfilled,,no,USD,100.00,0.00,0.00,100.00,,0.00,Standard,2025-11-02 10:00:00 -0500,1,Lamp,100.00,,LP-01,true,true,fulfilled,Carl Poe,Boston,US,,,Shopify Payments,0.00,Acme,0.00,5512345678907,,Low,web,

        """,
        Rows: 11,
        Accepted: 3,
        Skipped: 4,
        Excluded: 3,
        Rejected: 1,
        Customers: 2,
        TotalSpend: 54.50 + 60.00 + 25.00,
        Currency: "EUR");

    /// <summary>
    /// WooCommerce Customer/Order CSV Export, default format: one row per order. 5002 is a guest (customer_id 0) with a
    /// partial refund; 5006 is the customer of 5001 with the address in another case.
    /// </summary>
    public static Sample WooCommerce { get; } = new(
        "woocommerce-orders",
        "woocommerce-orders-2025-10.csv",
        """
        order_id,order_number,order_date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_postcode,billing_city,billing_country,customer_note,line_items,coupon_items
        5001,5001,2025-10-07 09:50:26,completed,5.00,0.95,0.00,0.00,7.18,0.00,0.00,0.00,45.00,0.00,EUR,stripe,flat_rate,12,Anna,Klein,,anna.k@example.org,+49 30 1234567,Hauptstr. 1,10115,Berlin,DE,,id:31|name:Wool scarf|quantity:1|total:40.00,
        5002,5002,2025-10-08 14:05:00,processing,0.00,0.00,0.00,0.00,4.79,0.00,0.00,0.00,30.00,10.00,EUR,paypal,free_shipping,0,Ben,Ott,,ben@example.org,,Ring 2,20095,Hamburg,DE,"Leave at the door, please",id:32|name:Mug|quantity:2|total:30.00,
        5003,5003,2025-10-09 10:00:00,cancelled,0.00,0.00,0.00,0.00,7.98,0.00,0.00,0.00,50.00,0.00,EUR,bacs,flat_rate,13,Dee,Marsh,,dee@example.org,,Weg 3,80331,Munich,DE,,id:33|name:Lamp|quantity:1|total:50.00,
        5004,5004,2025-10-10 11:00:00,refunded,0.00,0.00,0.00,0.00,3.99,0.00,0.00,0.00,25.00,25.00,EUR,stripe,flat_rate,13,Dee,Marsh,,dee@example.org,,Weg 3,80331,Munich,DE,,id:34|name:Cap|quantity:1|total:25.00,
        5005,5005,2025-10-11 12:00:00,failed,0.00,0.00,0.00,0.00,1.60,0.00,0.00,0.00,10.00,0.00,EUR,stripe,flat_rate,14,Eve,Stone,,eve@example.org,,Allee 4,50667,Cologne,DE,,id:35|name:Pin|quantity:1|total:10.00,
        5006,5006,2025-11-02 18:30:00,completed,0.00,0.00,0.00,0.00,2.47,0.00,0.00,0.00,15.50,0.00,EUR,stripe,local_pickup,12,Anna,Klein,,Anna.K@Example.org,+49 30 1234567,Hauptstr. 1,10115,Berlin,DE,,id:36|name:Tea|quantity:1|total:15.50,
        5007,5007,2025-11-03 09:00:00,pending,0.00,0.00,0.00,0.00,1.92,0.00,0.00,0.00,12.00,0.00,EUR,bacs,flat_rate,14,Eve,Stone,,eve@example.org,,Allee 4,50667,Cologne,DE,,id:37|name:Honey|quantity:1|total:12.00,

        """,
        Rows: 7,
        Accepted: 3,
        Skipped: 0,
        Excluded: 4,
        Rejected: 0,
        Customers: 2,
        TotalSpend: 45.00 + 20.00 + 15.50,
        Currency: "EUR");

    /// <summary>
    /// Stripe Dashboard, Payments, Export (unified payments). ch_2 is partly refunded (40 - 15); ch_5 has no customer
    /// object and is keyed by its e-mail; refunded, failed, test-mode and uncaptured payments are not revenue.
    /// </summary>
    public static Sample Stripe { get; } = new(
        "stripe-payments",
        "unified_payments.csv",
        """
        id,Description,Seller Message,Created date (UTC),Amount,Amount Refunded,Currency,Converted Amount,Converted Amount Refunded,Fee,Taxes On Fee,Converted Currency,Mode,Status,Statement Descriptor,Customer ID,Customer Description,Customer Email,Captured,Card ID,Card Last4,Card Brand,Card Funding,Card Exp Month,Card Exp Year,Card Issue Country,Disputed Amount,Dispute Status,Invoice ID,PaymentIntent ID
        ch_3Q1a,Subscription update,Payment complete.,2025-10-07 07:50:26,25.00,0.00,usd,25.00,0.00,1.03,0.00,usd,Live,Paid,ACME,cus_Qa1,Mo,mo@example.com,true,card_1,4242,Visa,credit,12,2027,US,,,in_1,pi_1
        ch_3Q1b,Order 77,Payment complete.,2025-10-08 12:00:00,40.00,15.00,usd,40.00,15.00,1.46,0.00,usd,Live,Paid,ACME,cus_Qa1,Mo,mo@example.com,true,card_1,4242,Visa,credit,12,2027,US,,,,pi_2
        ch_3Q1c,Order 78,Payment complete.,2025-10-09 12:00:00,30.00,30.00,usd,30.00,30.00,1.17,0.00,usd,Live,Refunded,ACME,cus_Qb2,Li,li@example.com,true,card_2,1881,Visa,debit,01,2026,US,,,,pi_3
        ch_3Q1d,Order 79,Your card was declined.,2025-10-10 12:00:00,20.00,0.00,usd,20.00,0.00,0.00,0.00,usd,Live,Failed,ACME,cus_Qb2,Li,li@example.com,false,card_2,1881,Visa,debit,01,2026,US,,,,pi_4
        ch_3Q1e,Guest order,Payment complete.,2025-10-11 09:15:00,12.00,0.00,usd,12.00,0.00,0.65,0.00,usd,Live,Paid,ACME,,,guest@example.net,true,card_3,5556,Mastercard,credit,03,2028,US,,,,pi_5
        ch_3Q1f,Order 80,Payment complete.,2025-10-12 09:15:00,99.00,0.00,usd,99.00,0.00,3.17,0.00,usd,Test,Paid,ACME,cus_Qc3,Sam,sam@example.com,true,card_4,4242,Visa,credit,12,2027,US,,,,pi_6
        ch_3Q1g,Order 81,Payment authorized.,2025-10-13 09:15:00,10.00,0.00,usd,10.00,0.00,0.00,0.00,usd,Live,Paid,ACME,cus_Qc3,Sam,sam@example.com,false,card_4,4242,Visa,credit,12,2027,US,,,,pi_7

        """,
        Rows: 7,
        Accepted: 3,
        Skipped: 0,
        Excluded: 4,
        Rejected: 0,
        Customers: 2,
        TotalSpend: 25.00 + 25.00 + 12.00,
        Currency: "USD");

    /// <summary>
    /// Magento 2 / Adobe Commerce admin, Sales, Orders grid, Export, CSV: dates as <c>MMM d, yyyy h:mm:ss AM</c>, prices
    /// with their symbol. 000000002 is partly refunded; canceled, closed (fully refunded) and pending orders are not revenue.
    /// </summary>
    public static Sample Magento { get; } = new(
        "magento-orders",
        "export.csv",
        """
        "ID","Purchase Point","Purchase Date","Bill-to Name","Ship-to Name","Grand Total (Base)","Grand Total (Purchased)","Status","Billing Address","Shipping Address","Shipping Information","Customer Email","Customer Group","Subtotal","Shipping and Handling","Customer Name","Payment Method","Total Refunded"
        "000000001","Main Website
        Main Website Store
        Default Store View","Oct 7, 2025 9:50:26 AM","Kim Park","Kim Park","$54.50","$54.50","Complete","1 Main St,Austin,Texas,78701","1 Main St,Austin,Texas,78701","Flat Rate - Fixed","kim@example.com","General","$45.00","$5.00","Kim Park","Check / Money order","$0.00"
        "000000002","Main Website
        Main Website Store
        Default Store View","Oct 8, 2025 1:05:00 PM","Rae Chen","Rae Chen","$1,280.00","$1,280.00","Processing","2 Oak Ave,Dallas,Texas,75201","2 Oak Ave,Dallas,Texas,75201","Flat Rate - Fixed","rae@example.com","General","$1,270.00","$10.00","Rae Chen","Check / Money order","$80.00"
        "000000003","Main Website
        Main Website Store
        Default Store View","Oct 9, 2025 10:00:00 AM","Kim Park","Kim Park","$20.00","$20.00","Canceled","1 Main St,Austin,Texas,78701","1 Main St,Austin,Texas,78701","Flat Rate - Fixed","kim@example.com","General","$15.00","$5.00","Kim Park","Check / Money order","$0.00"
        "000000004","Main Website
        Main Website Store
        Default Store View","Oct 10, 2025 11:00:00 AM","Rae Chen","Rae Chen","$35.00","$35.00","Closed","2 Oak Ave,Dallas,Texas,75201","2 Oak Ave,Dallas,Texas,75201","Flat Rate - Fixed","rae@example.com","General","$30.00","$5.00","Rae Chen","Check / Money order","$35.00"
        "000000005","Main Website
        Main Website Store
        Default Store View","Nov 3, 2025 4:45:10 PM","Zed Ito","Zed Ito","$19.99","$19.99","Pending","3 Elm Rd,Houston,Texas,77002","3 Elm Rd,Houston,Texas,77002","Flat Rate - Fixed","zed@example.com","NOT LOGGED IN","$14.99","$5.00","Zed Ito","Check / Money order","$0.00"
        "000000006","Main Website
        Main Website Store
        Default Store View","Nov 4, 2025 8:00:00 AM","Kim Park","Kim Park","$12.00","$12.00","Complete","1 Main St,Austin,Texas,78701","1 Main St,Austin,Texas,78701","Flat Rate - Fixed","kim@example.com","General","$7.00","$5.00","Kim Park","Check / Money order","$0.00"

        """,
        Rows: 6,
        Accepted: 3,
        Skipped: 0,
        Excluded: 3,
        Rejected: 0,
        Customers: 2,
        TotalSpend: 54.50 + 1200.00 + 12.00,
        Currency: null);

    /// <summary>
    /// BigCommerce Orders, Export, default template: one row per order, day-first dates. 103 is a guest (customer id 0)
    /// keyed by e-mail; cancelled, refunded and awaiting-payment orders are not revenue.
    /// </summary>
    public static Sample BigCommerce { get; } = new(
        "bigcommerce-orders",
        "orders-2025-11-04.csv",
        """
        Order ID,Customer ID,Customer Name,Customer Email,Customer Phone,Order Date,Order Status,Subtotal (inc tax),Subtotal (ex tax),Tax Total,Shipping Cost (inc tax),Shipping Cost (ex tax),Ship Method,Handling Cost (inc tax),Handling Cost (ex tax),Store Credit Redeemed,Gift Certificate Amount Redeemed,Gift Certificate Code,Coupon Details,Order Total (inc tax),Order Total (ex tax),Payment Method,Total Quantity,Total Shipped,Date Shipped,Order Currency Code,Exchange Rate,Order Notes,Customer Message
        101,7,Li Wei,li@example.com,555-0101,18/10/2025,Completed,60.00,55.00,5.00,8.00,8.00,Flat Rate,0.00,0.00,0.00,0.00,,,68.00,63.00,Credit Card,3,3,19/10/2025,GBP,1.0000,,
        102,7,Li Wei,li@example.com,555-0101,21/10/2025,Shipped,20.00,18.00,2.00,0.00,0.00,Free Shipping,0.00,0.00,0.00,0.00,,,20.00,18.00,Credit Card,1,1,22/10/2025,GBP,1.0000,,
        103,0,Sam Roe,sam@example.com,,23/10/2025,Awaiting Fulfillment,15.00,13.50,1.50,3.00,3.00,Flat Rate,0.00,0.00,0.00,0.00,,,18.00,16.50,PayPal,2,0,,GBP,1.0000,,"Gift, no invoice"
        104,8,Ann Bay,ann@example.com,555-0104,25/10/2025,Cancelled,40.00,36.00,4.00,0.00,0.00,Flat Rate,0.00,0.00,0.00,0.00,,,40.00,36.00,Credit Card,1,0,,GBP,1.0000,,
        105,8,Ann Bay,ann@example.com,555-0104,26/10/2025,Refunded,10.00,9.00,1.00,0.00,0.00,Flat Rate,0.00,0.00,0.00,0.00,,,10.00,9.00,Credit Card,1,1,27/10/2025,GBP,1.0000,,
        106,8,Ann Bay,ann@example.com,555-0104,02/11/2025,Awaiting Payment,30.00,27.00,3.00,0.00,0.00,Flat Rate,0.00,0.00,0.00,0.00,,,30.00,27.00,Bank Deposit,1,0,,GBP,1.0000,,

        """,
        Rows: 6,
        Accepted: 3,
        Skipped: 0,
        Excluded: 3,
        Rejected: 0,
        Customers: 2,
        TotalSpend: 68.00 + 20.00 + 18.00,
        Currency: "GBP");

    /// <summary>Every platform sample.</summary>
    public static IReadOnlyList<Sample> All { get; } = [Shopify, WooCommerce, Stripe, Magento, BigCommerce];

    /// <summary>A sample export and what reading it must give.</summary>
    internal sealed record Sample(
        string Profile,
        string FileName,
        string Text,
        long Rows,
        long Accepted,
        long Skipped,
        long Excluded,
        long Rejected,
        int Customers,
        double TotalSpend,
        string? Currency)
    {
        public override string ToString() => Profile;
    }
}
