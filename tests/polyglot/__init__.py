"""The examples in Node, PHP and Java, run against a served fake."""
