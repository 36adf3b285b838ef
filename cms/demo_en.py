"""English translations of the editorial demo pages (cms/demo.py creates them as the English
locale's translations of the Chinese pages). Same structure as the Chinese texts: the rules
sections are live rules tables, not text."""

DEMO_NOTICE = (
    "<p><b>Demo notice:</b> this is a demonstration site. The machines, listings, sales, "
    "organizations and prices on it are simulated data and do not reflect the real market; "
    "the rules and processes are written as the platform actually works.</p>"
)

TRADING_GUIDE = """
<h2>What the platform does</h2>
<p>Ironloop serves the construction machinery aftermarket of the Changsha–Zhuzhou–Xiangtan
area and the rest of Hunan Province. It brings used equipment trading, residual value
assessment, finance leasing, inspection and remanufacturing certification, and end-of-life
recycling onto one platform, closing the loop of trade, finance and data: every completed sale
flows back into the training data of the valuation model, and the valuation in turn sets
financing limits and auction reserve guidance.</p>
<h2>Buyers: from search to transfer of ownership</h2>
<ol>
<li><b>Register and verify.</b> Register as an organization and submit your 18-character
unified social credit code and business licence. You can bid, order and apply for financing
once the platform has approved the verification.</li>
<li><b>Search and filter.</b> Filter by category and size class, brand and model, year of
manufacture, hours, price, city and distance, condition grade, inspected or remanufactured,
sale format, and whether financing is available.</li>
<li><b>Read the machine file.</b> Every machine has its own file: hour-meter readings and
where each came from (seller's declaration, verified at inspection, telematics, service
record), maintenance and repair records, inspection reports, remanufacturing certificates,
changes of ownership, and any finance lease or security registration. A machine whose
readings go backwards or grow faster than calendar time allows is flagged "hours anomaly".</li>
<li><b>Check the valuation.</b> The listing page shows the platform's valuation, its 80%
interval and comparable sales, so you can see at a glance how far the asking price is above
or below the market.</li>
<li><b>Choose how to buy.</b> Buy now at the fixed price; make an offer, then accept or
decline the seller's counter-offer (offers lapse automatically when they expire); or bid in a
timed auction under the rules below.</li>
<li><b>See the all-in price before you order.</b> Before you pay, the order page lists the
sale price, the buyer's commission from the published bands, VAT, any deposit already paid,
the amount due and the payment deadline.</li>
<li><b>Pay.</b> Large amounts are paid by company bank transfer, which the platform matches
against the account; card payments have a per-charge limit. Late payment is handled as a
default under the published rules: the deposit may be forfeited and the machine is listed
again.</li>
<li><b>Collection and transfer.</b> Once payment is confirmed the machine is released, the
seller's payout and the change of ownership are recorded, and a sale record is created.</li>
</ol>
<p>The fee, auction, payment, listing and finance lease rules in the sections below are
taken directly from the rules configuration the system applies.</p>
"""

TRADING_GUIDE_SELLERS = """
<h2>Sellers: listing a machine</h2>
<ol>
<li>Create the machine file: brand and model, serial number (unique within the brand), year
of manufacture, emission stage (China III / China IV), city, and current hours.</li>
<li>Upload photos: at least the four sides, the undercarriage or tyres, the cab, the hour
meter and any known damage. Photo formats are checked by content and EXIF data is removed
automatically.</li>
<li>Choose a fixed price, offers or a timed auction, price with the platform's valuation as a
reference, and state whether an invoice and which accessories come with the machine.</li>
<li>Submit for review. The listing is published once the platform approves it (sellers the
platform has recognised as trusted publish directly); how long a listing stays live is set out
in the listing rules below.</li>
<li>A machine under a finance lease or security registration cannot change hands until the
lessor has released the registration.</li>
</ol>
"""

TRADING_GUIDE_RISKS = """
<h2>Common risks and what the platform does</h2>
<ul>
<li><b>Hour meter wound back or replaced:</b> the platform keeps every reading and its
source, verifies the reading at inspection and flags anomalies.</li>
<li><b>Refurbishment hiding defects:</b> we recommend an independent inspection before you
buy; every inspection report has a unique number and can be verified online.</li>
<li><b>Machine still under a finance lease or security interest:</b> finance leases and
security interests are registered in the People's Bank of China's Unified Registration and
Publicity System for Movable Property Financing (Zhongdengwang); the platform records the
registration number and the machine file shows "registration on file".</li>
<li><b>Advance-payment fraud and off-platform deals:</b> only pay through the platform; it
will never ask you to transfer money to a personal account.</li>
<li><b>Fees appearing after the deal:</b> every fee is listed before you order; the rules the
platform shows are the rules the system applies.</li>
</ul>
"""

VALUATION_RULES = """
<h2>What the valuation measures</h2>
<p>The platform's valuation is the <b>fair market value</b>: the price a willing buyer and a
willing seller would agree in an ordinary sale. Auction results usually come close to the
<b>forced liquidation value</b>, and the orderly liquidation value lies roughly between the
two. Each valuation comes with an 80% interval: on the current data, about eight in ten sales
of comparable machines fall within it.</p>
<h2>What drives residual value</h2>
<ul>
<li>age, total hours and hours per year;</li>
<li>category and size class, brand, model and configuration;</li>
<li>condition grade (A–E), remanufacturing, accident history (fire, flood, structural
accident);</li>
<li>emission stage (China III, China IV) and whether an invoice can be provided;</li>
<li>region, sales channel (fixed price, offer, auction), season and the industry cycle.</li>
</ul>
<h2>Model and data</h2>
<ul>
<li>The training data are sale records: every completed sale on the platform plus imported
external sales. Each record keeps the machine's attributes at the time of sale, so later
edits to the machine never rewrite history.</li>
<li>The model is a gradient-boosted tree ensemble (LightGBM) trained on the log of the price,
with monotonic constraints: all else being equal, more hours or a greater age never raise the
valuation.</li>
<li>Validation splits by time only, never at random, so the "future" is never used to judge
the "past".</li>
<li>The 80% interval is calibrated on a later time window (split conformal prediction), and
the platform publishes the coverage actually achieved.</li>
<li>Every valuation shown records the model version that produced it; the model is not
retrained while the training data are unchanged, and a new model can be rolled back in one
step.</li>
</ul>
<h2>What the valuation panel shows</h2>
<ul>
<li>the valuation and its 80% interval, and how the asking price compares with the
market;</li>
<li>the most similar sold machines (sale date, hours, year, city, price) and their
weights;</li>
<li>the depreciation curve: at the machine's own hours per year, the forecast value and
interval today and in 12, 24, 36, 48 and 60 months;</li>
<li>the factors with the largest effect on this valuation.</li>
</ul>
<p>When the inputs are unusual (a rare model, hours far beyond the data), the panel says
plainly that the valuation is uncertain instead of showing a deceptively precise figure.</p>
<h2>How it relates to finance leasing</h2>
<p>The amount financed never exceeds the share of the valuation set by the lease product; a
guaranteed residual value or balloon payment never exceeds the lower bound of the model's
forecast for the end of the lease. When these limits apply, the quote page explains why.</p>
<h2>Back-testing</h2>
<p>Every month the platform publishes a back-test: for each sale completed in the month, the
prediction of the model in use at the time is compared with the actual price, and the median
error and the share of predictions within ±10% and ±20% are reported.</p>
"""

CERTIFICATION_RULES = """
<h2>Standards</h2>
<ul>
<li>T/CSCMA 0004-2023 (Changsha Construction Machinery Association), appraisal process for
used equipment; ISO 10987-3:2017, condition assessment of used machines; SB/T 10529-2009,
general rules for the circulation of used equipment;</li>
<li>GB/T 28618-2012, general technical requirements for remanufacturing; GB/T 28619-2012,
remanufacturing terminology; GB/T 27611-2011, marking of remanufactured products;
GB/T 28620-2012, calculation of the remanufacturing rate;</li>
<li>GB/T 41101.2-2021 (ISO 10987-2:2017), identification and marking of remanufactured
components; ISO 16714:2008, recyclability of earth-moving machinery.</li>
</ul>
<h2>Inspection process</h2>
<ol>
<li><b>Request:</b> the owner or dealer requests an inspection on the platform and a
certified inspection company accepts it.</li>
<li><b>Identification:</b> the inspector checks the nameplate and serial number and
photographs the hour meter; the reading taken at inspection enters the machine file as a
"verified at inspection" reading.</li>
<li><b>Major accident screen:</b> fire, flood and structural damage.</li>
<li><b>System by system:</b> engine, hydraulics, undercarriage or tyres (wear recorded as a
percentage), structure and work equipment, electrics, cab and attachments, each rated,
explained and photographed.</li>
<li><b>Cold start, functional test and fluid samples.</b> The inspection does not include load
testing or latent defects.</li>
<li><b>Grade and report:</b> the overall grade is computed by the rules below; the report is
numbered, archived and can be verified online. A submitted report cannot be changed;
corrections are issued as a new version.</li>
</ol>
"""

CERTIFICATION_RULES_REMAN = """
<h2>Remanufacturing certification</h2>
<ul>
<li>The certificate records the identification of the core (the used part being
remanufactured), each step of assessment, disassembly, cleaning, repair, assembly and testing
with its result, and the parts replaced and reused with their mass.</li>
<li>The remanufacturing rate follows GB/T 28620-2012: the share by mass of the reused
parts.</li>
<li>The certificate declares that the remanufactured product performs as well as or better
than the original new product (GB/T 27611-2011), and states the marking, the warranty terms
and the period of validity. A remanufactured product should carry a warranty comparable to
that of a new one.</li>
</ul>
<h2>Independence and verification</h2>
<ul>
<li>Only members of a certified inspection company with the inspector role can fill in
reports and issue certificates; an inspection company may not certify machines it owns or
sells.</li>
<li>Every report and certificate has a unique number and a public verification page (link
or QR code). The verification code is computed from the certificate's content and a platform
key, so an altered or forged certificate fails verification.</li>
<li>A certificate can be revoked with a stated reason; the verification page then shows
"revoked".</li>
</ul>
<h2>Scrapping and recycling</h2>
<p>The owner requests disposal and recycling companies quote for it; once disposal is
complete a recycling certificate is issued, stating the recyclability rate computed by the
ISO 16714 method. A scrapped machine can no longer be listed.</p>
"""

STANDARD_PAGES = {
    "trading-guide": (
        "Trading guide",
        "The steps for buyers and sellers to complete a used construction machinery deal on "
        "the platform, the auction rules and the risks to watch for.",
    ),
    "valuation-rules": (
        "Residual value assessment rules",
        "What the platform's valuation measures, what drives it, how the model works, how the "
        "interval is calibrated and how it is back-tested.",
    ),
    "certification-rules": (
        "Inspection and remanufacturing certification specification",
        "The inspection process, condition grades, remanufacturing certification, certificate "
        "verification and scrapping rules.",
    ),
}

NEWS_INDEX = ("News", "Platform updates and industry news.")

NEWS = {
    "ironloop-demo-launch": (
        "Ironloop demo platform launches",
        "Trading, valuation, finance leasing, inspection and certification, and recycling "
        "demonstrated on one platform.",
        """
<p>The demo of Ironloop, the platform for the construction machinery aftermarket of the
Changsha–Zhuzhou–Xiangtan area, goes live today. It covers used equipment listings and search;
fixed-price sales, offers and timed auctions; residual valuations trained on sale records;
finance lease quotes and applications; online verification of inspection grades and
remanufacturing certificates; and the scrapping and recycling of machines.</p>
<p>The demo's two thousand or so machines and more than twenty thousand historical sales are
simulated data spread over Changsha, Zhuzhou, Xiangtan and other cities of Hunan. They show
how the platform works and do not reflect the real market.</p>
<p>The demo accounts cover dealers, buyers, finance lease companies, inspection companies,
recycling companies and platform operations; the login details are in the project's
README.</p>
""",
    ),
    "aftermarket-reform-priorities": (
        "The Changsha–Zhuzhou–Xiangtan machinery aftermarket: one platform, three strands",
        "A single trading platform, residual valuation with remanufacturing certification, and "
        "finance leasing close the loop of trade, finance and data.",
        """
<p>The reform plan for the Changsha–Zhuzhou–Xiangtan area (2025–2027) calls for a single
trading platform for the construction machinery aftermarket, covering central procurement,
used equipment valuation, finance leasing, operation and maintenance, remanufacturing
certification and recycling, to close the loop of trade, finance and data. Among the results
it names are a <i>Trading Guide for the Advanced Manufacturing Aftermarket</i> and a
<i>Specification for Residual Value Assessment and Remanufacturing Certification</i>.</p>
<p>Most used construction machinery in China changes hands privately. Machines have no title
register, so the purchase invoice usually serves as proof of ownership, while finance leases
and security interests are registered with Zhongdengwang, whose registrations are not checked
for substance. The problems buyers meet most often are hour meters wound back, refurbishment
hiding defects, machines still under an unreleased registration, and fees that only appear
after the deal.</p>
<p>The platform's answer: a portable file for every machine, recording where each reading
came from, maintenance, inspections, remanufacturing, leases and recycling; prices with an
interval from a valuation model whose back-tests are published; and the true cost of
financing, all fees included, shown at the moment of bidding.</p>
""",
    ),
    "how-to-read-hour-meters": (
        "Buying used equipment: how to read the hours",
        "Source of the reading, hours per year and the anomaly flag: three steps to judge "
        "whether the hours can be trusted.",
        """
<p><b>Step one: check the source.</b> Every hour-meter reading on the platform states where it
came from: the seller's declaration, verified at inspection, telematics or a service record.
Readings verified at inspection or from telematics are more reliable than a seller's
declaration on its own.</p>
<p><b>Step two: work out the hours per year.</b> Excavators and wheel loaders usually work
one to two thousand hours a year; compact machines and aerial work platforms less. For a
machine with unusually few hours per year, use the service records to tell whether it stood
idle or whether the reading is wrong.</p>
<p><b>Step three: look for the anomaly flag.</b> If a reading goes backwards, or the hours
between two readings grow by more than calendar time allows, the machine file and the listing
page show "hours anomaly". In that case we recommend an inspection before you buy.</p>
<p>All platform data in the examples in this article are simulated.</p>
""",
    ),
}

HOME = (
    "Ironloop",
    "Hunan's construction machinery aftermarket, in one place",
    "Buy and sell used equipment, value it, finance it and have it inspected, all on one platform.",
)
