import ReceiptWorkers
import Testing

@Suite struct LineItemParserTests {
    let parser = LineItemParser()

    @Test("quantity styles", arguments: [
        ("2x Bagel 5.00", "Bagel", 2.0, 2.5, 5.0),
        ("1x:Hot Chocolate . ; , : ~ 3.25", "Hot Chocolate", 1, 3.25, 3.25),
        ("2xGREEN TEA 5.90", "GREEN TEA", 2, 2.95, 5.9),
        ("Bagel x2 5.00", "Bagel", 2, 2.5, 5.0),
        ("Sticky Notesx2 ~ . - : 7.98\"", "Sticky Notes", 2, 3.99, 7.98),
        ("Bananas 3 @ 0.40 1.20", "Bananas", 3, 0.4, 1.2),
        ("_ DIESEL 8.008 @ 3.899 31.22", "DIESEL", 8.008, 3.899, 31.22),
        ("2 Bagel 1.50 3.00", "Bagel", 2, 1.5, 3.0),
        ("i HAND LOTION 5.49 5.49", "HAND LOTION", 1, 5.49, 5.49),
        ("12.020 DIESEL 46.87", "DIESEL", 12.02, 3.899, 46.87),
        ("Cola 1.99 3.98", "Cola", 2, 1.99, 3.98),
        ("Bagel 2.50", "Bagel", 1, 2.5, 2.5),
    ])
    func quantityStyles(line: String, description: String, quantity: Double, unit: Double, total: Double) {
        #expect(parser.parse(line).items == [item(description, quantity, unit, total)])
    }

    @Test("OCR noise in prices", arguments: [
        ("Coffee 3,50", 3.5), ("Bagel S.00", 5.0), ("Latte 4.2O", 4.2), ("Soup $5.00", 5.0), ("Bagel 5 00", 5.0),
        ("Bread 10:25", 10.25), ("Croissant | oe “8.25°", 8.25), ("Pasta $1.99-", 1.99), ("Rice l2.5O", 12.5),
    ])
    func noisyPrices(line: String, total: Double) {
        let items = parser.parse(line).items
        #expect(items.count == 1)
        #expect(items.first?.total == total)
        #expect(items.first?.quantity == 1)
    }

    @Test func wordsThatLookLikeDigitsAreNotPrices() {
        #expect(parser.parse("SOS.OO").items.isEmpty)
        #expect(parser.parse("Bagel").items.isEmpty)
    }

    @Test func twoLineItemsTakeTheDescriptionAbove() {
        let text = """
            BANANAS
            3 @ 0.40 1.20
            UNLEADED oe .

            13.623 @ 3.459 . 47.12
            """
        #expect(parser.parse(text).items == [item("BANANAS", 3, 0.4, 1.2), item("UNLEADED", 13.623, 3.459, 47.12)])
    }

    @Test func dotLeadersAndSpeckleNoiseLeaveTheDescription() {
        let text = """
            Croissant ..... ccc ccc eeeeeeeee eee 2.75°.
            Hot Chocolate x3...6....:....0... 9.75
            Green Tea ccc gece cece eens 2.95°
            3x Croissant | oe 8.25°
            YOGURT OO “1.25
            Batteries AA 8.49
            """
        #expect(parser.parse(text).items.map(\.description) == ["Croissant", "Hot Chocolate", "Green Tea", "Croissant", "YOGURT", "Batteries AA"])
        #expect(parser.parse(text).items[1].quantity == 3)
    }

    @Test func seedReceiptTextGivesItsTwoItemsAndSummary() {
        let text = """
            BLUE DOOR CAFE
            2024-12-01 09:15
            1x Coffee 3.50
            2x Bagel 5.00
            Subtotal 8.50
            Tax 0.68
            TOTAL 9.18
            THANK YOU
            """
        #expect(parser.parse(text) == ParsedReceipt(items: [item("Coffee", 1, 3.5, 3.5), item("Bagel", 2, 2.5, 5)], subtotal: 8.5, tax: 0.68, total: 9.18))
    }

    @Test func headerPaymentAndFooterLinesAreSkipped() {
        let text = """
            SUNRISE FUEL & GO
            11/06/2024 11:39 Cashier: 5
            Store #1234 Reg 12.00
            QTY ITEM PRICE TOTAL
            1 Coffee 3.50 3.50
            SUB TOTAL 3.50
            Jax rn 0.28
            TOTAL DUE 3.78
            VISA ************4821 3.78
            CARD # 4821 3.78
            CASH 5.00
            CHANGE 1.22
            Items: 1
            THANK YOU FOR SHOPPING!
            """
        let receipt = parser.parse(text)
        #expect(receipt.items == [item("Coffee", 1, 3.5, 3.5)])
        #expect(receipt.subtotal == 3.5)
        #expect(receipt.tax == 0.28)
        #expect(receipt.total == 3.78)
    }

    @Test func aCardThatIsMerchandiseStaysAnItem() {
        #expect(parser.parse("Greeting Card 3.99").items == [item("Greeting Card", 1, 3.99, 3.99)])
    }

    @Test func emptyTextHasNoItems() {
        #expect(parser.parse("") == ParsedReceipt(items: []))
        #expect(parser.parse("\n\n  \n").items.isEmpty)
    }
}

extension LineItemParserTests {
    @Test func gluedPunctuationAndZeroQuantitiesDoNotLeak() {
        #expect(parser.parse("ESPRESSO.X2 5.60").items == [item("ESPRESSO", 2, 2.8, 5.6)])
        // "0x" is no quantity: the whole line is one unit of "0x Bagel".
        #expect(parser.parse("0x Bagel 2.50").items.first?.quantity == 1)
    }
}
