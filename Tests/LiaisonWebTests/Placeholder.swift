import Testing
@Test func placeholderWeb() { #expect(1 == 1) }
