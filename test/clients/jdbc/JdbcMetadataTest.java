// pgjdbc's DatabaseMetaData against the server named by the PG* variables: getTables, getColumns,
// getPrimaryKeys, getIndexInfo, getImportedKeys / getExportedKeys / getCrossReference and
// getTypeInfo over a small schema, each compared row by row and column by column with what
// PostgreSQL 15 answers (pgjdbc builds every one of these from its own pg_catalog queries, as
// DBeaver, IntelliJ, Hibernate's schema validation and Flyway do).
import java.sql.*;
import java.util.*;

public class JdbcMetadataTest {
  static final List<String> failures = new ArrayList<>();

  static void expect(String what, Object got, Object want) {
    if (!Objects.equals(got, want)) failures.add(what + ": got " + got + ", want " + want);
  }

  static Connection connect() throws SQLException {
    Map<String, String> env = System.getenv();
    String url = "jdbc:postgresql://" + env.getOrDefault("PGHOST", "127.0.0.1") + ":" + env.getOrDefault("PGPORT", "5432")
        + "/" + env.getOrDefault("PGDATABASE", "postgres");
    Properties p = new Properties();
    p.setProperty("user", env.getOrDefault("PGUSER", "postgres"));
    p.setProperty("password", env.getOrDefault("PGPASSWORD", ""));
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(url, p);
  }

  interface Check {
    void run() throws SQLException;
  }

  interface Query {
    ResultSet run() throws SQLException;
  }

  // Runs one metadata check; an error (e.g. a catalog query the server cannot answer) is a failure of
  // that check alone, so every other method is still compared.
  static void check(String what, Check c) {
    try {
      c.run();
    } catch (SQLException e) {
      failures.add(what + ": " + e.getMessage().replace("\n", " ") + " (SQLSTATE " + e.getSQLState() + ")");
    }
  }

  // Columns that JDBC declares boolean are read with getBoolean (as tools do), the rest with getString.
  static final Set<String> BOOLEAN_COLUMNS =
      Set.of("NON_UNIQUE", "CASE_SENSITIVE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE", "AUTO_INCREMENT");

  static String cell(ResultSet rs, String column) throws SQLException {
    if (BOOLEAN_COLUMNS.contains(column)) {
      boolean b = rs.getBoolean(column);
      return rs.wasNull() ? "null" : String.valueOf(b);
    }
    return String.valueOf(rs.getString(column));
  }

  // Compares the result set's rows, restricted to `columns`, with `want` (one "a|b|c" string per
  // row, "null" for SQL NULL), reporting every differing cell by row and column name.
  static void expectRows(String what, Query query, String[] columns, String... want) {
    check(what, () -> compareRows(what, query.run(), columns, want));
  }

  static void compareRows(String what, ResultSet rs, String[] columns, String[] want) throws SQLException {
    List<String[]> got = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        String[] row = new String[columns.length];
        for (int i = 0; i < columns.length; i++) row[i] = cell(rs, columns[i]);
        got.add(row);
      }
    }
    if (got.size() != want.length) {
      List<String> rows = new ArrayList<>();
      for (String[] r : got) rows.add(String.join("|", r));
      failures.add(what + ": got " + got.size() + " rows, want " + want.length + "\n    got:  " + String.join("\n          ", rows)
          + "\n    want: " + String.join("\n          ", want));
      return;
    }
    for (int r = 0; r < want.length; r++) {
      String[] w = want[r].split("\\|", -1);
      if (w.length != columns.length) throw new IllegalArgumentException(what + ": expected row " + r + " has " + w.length + " cells");
      for (int i = 0; i < columns.length; i++) {
        expect(what + " row " + (r + 1) + " (" + w[0] + ") " + columns[i], got.get(r)[i], w[i]);
      }
    }
  }

  static String[] cols(String... names) {
    return names;
  }

  static void dropSchema(Statement s) throws SQLException {
    s.execute("DROP VIEW IF EXISTS jmd_view");
    s.execute("DROP TABLE IF EXISTS jmd_child");
    s.execute("DROP TABLE IF EXISTS jmd_parent");
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      dropSchema(s);
      // A parent with a composite primary key, a child referencing it with a composite ON DELETE CASCADE
      // foreign key, a unique index, a plain two-column index (one column descending) and a view.
      s.execute("CREATE TABLE jmd_parent (a int NOT NULL, b varchar(20) NOT NULL, name text, PRIMARY KEY (a, b))");
      s.execute("COMMENT ON TABLE jmd_parent IS 'the parent'");
      s.execute("COMMENT ON COLUMN jmd_parent.name IS 'display name'");
      s.execute("CREATE TABLE jmd_child (id serial PRIMARY KEY, price numeric(10,2) NOT NULL DEFAULT 0, code varchar(20),"
          + " note text DEFAULT 'none', created timestamptz DEFAULT now(), active boolean NOT NULL DEFAULT true, doc jsonb,"
          + " uid uuid, nums int[], pa int, pb varchar(20),"
          + " CONSTRAINT jmd_child_parent_fk FOREIGN KEY (pa, pb) REFERENCES jmd_parent (a, b) ON DELETE CASCADE)");
      s.execute("CREATE UNIQUE INDEX jmd_child_code_key ON jmd_child (code)");
      s.execute("CREATE INDEX jmd_child_created_idx ON jmd_child (created DESC, note)");
      s.execute("CREATE VIEW jmd_view AS SELECT id, code FROM jmd_child");
      DatabaseMetaData md = c.getMetaData();

      // getTables: tables and the view, then every relation kind (pgjdbc orders by TABLE_TYPE, then name:
      // indexes, the serial's sequence, tables, views).
      String[] tableCols = cols("TABLE_NAME", "TABLE_SCHEM", "TABLE_TYPE", "REMARKS");
      expectRows("getTables TABLE,VIEW", () -> md.getTables(null, "public", "jmd%", new String[] {"TABLE", "VIEW"}), tableCols,
          "jmd_child|public|TABLE|null",
          "jmd_parent|public|TABLE|the parent",
          "jmd_view|public|VIEW|null");
      expectRows("getTables all types", () -> md.getTables(null, "public", "jmd%", null), tableCols,
          "jmd_child_code_key|public|INDEX|null",
          "jmd_child_created_idx|public|INDEX|null",
          "jmd_child_pkey|public|INDEX|null",
          "jmd_parent_pkey|public|INDEX|null",
          "jmd_child_id_seq|public|SEQUENCE|null",
          "jmd_child|public|TABLE|null",
          "jmd_parent|public|TABLE|the parent",
          "jmd_view|public|VIEW|null");

      // getColumns: JDBC type, pgjdbc's type name (serial for an int column defaulting to its sequence),
      // size and scale from the typmod, nullability, the default's text, comments and autoincrement.
      String[] columnCols = cols("COLUMN_NAME", "ORDINAL_POSITION", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE",
          "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "IS_NULLABLE", "COLUMN_DEF", "REMARKS", "CHAR_OCTET_LENGTH",
          "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN");
      expectRows("getColumns jmd_child", () -> md.getColumns(null, "public", "jmd_child", null), columnCols,
          "id|1|4|serial|10|0|10|0|NO|nextval('jmd_child_id_seq'::regclass)|null|10|YES|NO",
          "price|2|2|numeric|10|2|10|0|NO|0|null|10|NO|NO",
          "code|3|12|varchar|20|0|10|1|YES|null|null|20|NO|NO",
          "note|4|12|text|2147483647|0|10|1|YES|'none'::text|null|2147483647|NO|NO",
          "created|5|93|timestamptz|35|6|10|1|YES|now()|null|35|NO|NO",
          "active|6|-7|bool|1|0|10|0|NO|true|null|1|NO|NO",
          "doc|7|1111|jsonb|2147483647|0|10|1|YES|null|null|2147483647|NO|NO",
          "uid|8|1111|uuid|2147483647|0|10|1|YES|null|null|2147483647|NO|NO",
          "nums|9|2003|_int4|10|0|10|1|YES|null|null|10|NO|NO",
          "pa|10|4|int4|10|0|10|1|YES|null|null|10|NO|NO",
          "pb|11|12|varchar|20|0|10|1|YES|null|null|20|NO|NO");
      expectRows("getColumns jmd_parent", () -> md.getColumns(null, "public", "jmd_parent", "%"), columnCols,
          "a|1|4|int4|10|0|10|0|NO|null|null|10|NO|NO",
          "b|2|12|varchar|20|0|10|0|NO|null|null|20|NO|NO",
          "name|3|12|text|2147483647|0|10|1|YES|null|display name|2147483647|NO|NO");
      // A column name pattern.
      expectRows("getColumns jmd_child p%", () -> md.getColumns(null, "public", "jmd_child", "p%"), cols("COLUMN_NAME", "ORDINAL_POSITION"),
          "price|2",
          "pa|10",
          "pb|11");

      // getPrimaryKeys: the composite key in key order, and a single-column one.
      String[] pkCols = cols("COLUMN_NAME", "TABLE_NAME", "KEY_SEQ", "PK_NAME");
      expectRows("getPrimaryKeys jmd_parent", () -> md.getPrimaryKeys(null, "public", "jmd_parent"), pkCols,
          "a|jmd_parent|1|jmd_parent_pkey",
          "b|jmd_parent|2|jmd_parent_pkey");
      expectRows("getPrimaryKeys jmd_child", () -> md.getPrimaryKeys(null, "public", "jmd_child"), pkCols,
          "id|jmd_child|1|jmd_child_pkey");
      expectRows("getPrimaryKeys jmd_view", () -> md.getPrimaryKeys(null, "public", "jmd_view"), pkCols);

      // getIndexInfo: unique indexes first, then by name and column position; TYPE 3 is tableIndexOther,
      // ASC_OR_DESC follows the index's column options.
      String[] indexCols = cols("INDEX_NAME", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "TYPE", "ORDINAL_POSITION",
          "COLUMN_NAME", "ASC_OR_DESC", "FILTER_CONDITION");
      expectRows("getIndexInfo jmd_child", () -> md.getIndexInfo(null, "public", "jmd_child", false, false), indexCols,
          "jmd_child_code_key|jmd_child|false|null|3|1|code|A|null",
          "jmd_child_pkey|jmd_child|false|null|3|1|id|A|null",
          "jmd_child_created_idx|jmd_child|true|null|3|1|created|D|null",
          "jmd_child_created_idx|jmd_child|true|null|3|2|note|A|null");
      expectRows("getIndexInfo jmd_child unique", () -> md.getIndexInfo(null, "public", "jmd_child", true, false), indexCols,
          "jmd_child_code_key|jmd_child|false|null|3|1|code|A|null",
          "jmd_child_pkey|jmd_child|false|null|3|1|id|A|null");
      expectRows("getIndexInfo jmd_parent", () -> md.getIndexInfo(null, "public", "jmd_parent", false, false), indexCols,
          "jmd_parent_pkey|jmd_parent|false|null|3|1|a|A|null",
          "jmd_parent_pkey|jmd_parent|false|null|3|2|b|A|null");

      // Foreign keys: one row per column pair of the composite key; UPDATE_RULE 3 is importedKeyNoAction,
      // DELETE_RULE 0 importedKeyCascade, DEFERRABILITY 7 importedKeyNotDeferrable. The same rows from the
      // referencing side, the referenced side and the pair.
      String[] fkCols = cols("FK_NAME", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_SCHEM", "FKTABLE_NAME",
          "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "PK_NAME", "DEFERRABILITY");
      String[] fkRows = {
          "jmd_child_parent_fk|public|jmd_parent|a|public|jmd_child|pa|1|3|0|jmd_parent_pkey|7",
          "jmd_child_parent_fk|public|jmd_parent|b|public|jmd_child|pb|2|3|0|jmd_parent_pkey|7"};
      expectRows("getImportedKeys jmd_child", () -> md.getImportedKeys(null, "public", "jmd_child"), fkCols, fkRows);
      expectRows("getExportedKeys jmd_parent", () -> md.getExportedKeys(null, "public", "jmd_parent"), fkCols, fkRows);
      expectRows("getCrossReference", () -> md.getCrossReference(null, "public", "jmd_parent", null, "public", "jmd_child"), fkCols, fkRows);
      expectRows("getImportedKeys jmd_parent", () -> md.getImportedKeys(null, "public", "jmd_parent"), fkCols);
      expectRows("getExportedKeys jmd_child", () -> md.getExportedKeys(null, "public", "jmd_child"), fkCols);

      // getTypeInfo: a handful of base types, picked out of every row pgjdbc builds from pg_type.
      String[] typeCols = cols("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "NULLABLE", "CASE_SENSITIVE",
          "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE", "AUTO_INCREMENT", "MINIMUM_SCALE", "MAXIMUM_SCALE",
          "NUM_PREC_RADIX");
      Map<String, String> wantTypes = new LinkedHashMap<>();
      wantTypes.put("int4", "int4|4|0|null|1|false|3|false|false|false|0|0|10");
      wantTypes.put("text", "text|12|0|'|1|true|3|true|false|false|0|0|10");
      wantTypes.put("numeric", "numeric|2|1000|null|1|false|3|false|false|false|0|1000|10");
      wantTypes.put("jsonb", "jsonb|1111|0|'|1|true|3|true|false|false|0|0|10");
      wantTypes.put("uuid", "uuid|1111|0|'|1|true|3|true|false|false|0|0|10");
      wantTypes.put("serial", "serial|4|0|null|1|false|3|false|false|true|0|0|10");
      Map<String, Integer> seen = new HashMap<>();
      check("getTypeInfo", () -> {
        try (ResultSet rs = md.getTypeInfo()) {
          while (rs.next()) {
            String name = rs.getString("TYPE_NAME");
            if (!wantTypes.containsKey(name)) continue;
            seen.merge(name, 1, Integer::sum);
            String[] want = wantTypes.get(name).split("\\|", -1);
            for (int i = 0; i < typeCols.length; i++) expect("getTypeInfo " + name + " " + typeCols[i], cell(rs, typeCols[i]), want[i]);
          }
        }
      });
      for (String name : wantTypes.keySet()) expect("getTypeInfo rows named " + name, seen.getOrDefault(name, 0), 1);

      dropSchema(s);
      expectRows("getTables after the drop", () -> md.getTables(null, "public", "jmd%", null), tableCols);
    }
    for (String f : failures) System.out.println("FAIL " + f);
    System.out.println("pgjdbc metadata: " + (failures.isEmpty() ? "ok" : "FAILED") + " (" + failures.size() + " failures)");
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
