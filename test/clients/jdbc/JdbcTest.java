// pgjdbc against the server named by the PG* variables: parameters, every type read back with
// text and with binary transfer, a rolled-back transaction, a unique violation and 10,000 rows
// through setFetchSize (Execute with a row limit, PortalSuspended).
import java.math.BigDecimal;
import java.sql.*;
import java.time.*;
import java.util.*;

public class JdbcTest {
  static final List<String> failures = new ArrayList<>();

  static void expect(String what, Object got, Object want) {
    if (!Objects.equals(got, want)) failures.add(what + ": got " + got + ", want " + want);
  }

  static void expectSqlState(String what, Connection c, String sql, String state) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      failures.add(what + ": no error, want SQLSTATE " + state);
    } catch (SQLException e) {
      expect(what + " sqlstate", e.getSQLState(), state);
    }
  }

  static Connection connect(boolean binary) throws SQLException {
    Map<String, String> env = System.getenv();
    String url = "jdbc:postgresql://" + env.getOrDefault("PGHOST", "127.0.0.1") + ":" + env.getOrDefault("PGPORT", "5432")
        + "/" + env.getOrDefault("PGDATABASE", "postgres");
    Properties p = new Properties();
    p.setProperty("user", env.getOrDefault("PGUSER", "postgres"));
    p.setProperty("password", env.getOrDefault("PGPASSWORD", ""));
    p.setProperty("sslmode", "disable");
    // prepareThreshold=-1: named server-side statements from the first execution, with binary transfer.
    if (binary) p.setProperty("prepareThreshold", "-1");
    return DriverManager.getConnection(url, p);
  }

  static final String COLUMNS = "b, i2, i4, i8, f4, f8, n, t, vc, c, by, d, tm, ts, tz, iv, u, j, jb";

  static void checkRow(String mode, ResultSet rs) throws SQLException {
    expect(mode + " b", rs.getBoolean("b"), true);
    expect(mode + " i2", rs.getShort("i2"), (short) -32768);
    expect(mode + " i4", rs.getInt("i4"), 2147483647);
    expect(mode + " i8", rs.getLong("i8"), Long.MIN_VALUE);
    expect(mode + " f4", rs.getFloat("f4"), 1.5f);
    expect(mode + " f8", rs.getDouble("f8"), 0.1);
    expect(mode + " n", rs.getBigDecimal("n"), new BigDecimal("12345.678"));
    expect(mode + " t", rs.getString("t"), "h\u00e9llo \u2603 'quoted' \\ back");
    expect(mode + " vc", rs.getString("vc"), "var");
    expect(mode + " c", rs.getString("c"), "ab  ");
    expect(mode + " by", Arrays.toString(rs.getBytes("by")), Arrays.toString(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}));
    expect(mode + " d", rs.getObject("d", LocalDate.class), LocalDate.of(2024, 2, 29));
    expect(mode + " tm", rs.getObject("tm", LocalTime.class), LocalTime.of(23, 59, 59, 123456000));
    expect(mode + " ts", rs.getObject("ts", LocalDateTime.class), LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000));
    expect(mode + " tz", rs.getObject("tz", OffsetDateTime.class), OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC));
    expect(mode + " iv", rs.getString("iv"), "3 days 04:05:06");
    expect(mode + " u", rs.getObject("u"), UUID.fromString("12345678-1234-5678-1234-567812345678"));
    expect(mode + " j", rs.getString("j"), "{\"a\": [1, 2, {\"b\": null}]}");
    expect(mode + " jb", rs.getString("jb"), "{\"k\": \"v\", \"n\": 1.25}");
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = connect(false)) {
      DatabaseMetaData md = c.getMetaData();
      expect("server major version", md.getDatabaseMajorVersion(), 15);
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS every_type");
        s.execute("CREATE TABLE every_type (id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, "
            + "f4 real, f8 double precision, n numeric(12,3), t text, vc varchar(10), c char(4), by bytea, d date, "
            + "tm time, ts timestamp, tz timestamptz, iv interval, u uuid, j json, jb jsonb)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO every_type (id, " + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::interval, ?, ?::json, ?::jsonb)")) {
        ps.setInt(1, 1);
        ps.setBoolean(2, true);
        ps.setShort(3, (short) -32768);
        ps.setInt(4, 2147483647);
        ps.setLong(5, Long.MIN_VALUE);
        ps.setFloat(6, 1.5f);
        ps.setDouble(7, 0.1);
        ps.setBigDecimal(8, new BigDecimal("12345.678"));
        ps.setString(9, "h\u00e9llo \u2603 'quoted' \\ back");
        ps.setString(10, "var");
        ps.setString(11, "ab");
        ps.setBytes(12, new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
        ps.setObject(13, LocalDate.of(2024, 2, 29));
        ps.setObject(14, LocalTime.of(23, 59, 59, 123456000));
        ps.setObject(15, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000));
        ps.setObject(16, OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC));
        ps.setString(17, "3 days 04:05:06");
        ps.setObject(18, UUID.fromString("12345678-1234-5678-1234-567812345678"));
        ps.setString(19, "{\"a\": [1, 2, {\"b\": null}]}");
        ps.setString(20, "{\"k\": \"v\", \"n\": 1.25}");
        expect("insert count", ps.executeUpdate(), 1);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM every_type WHERE id = ?")) {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          expect("text row", rs.next(), true);
          checkRow("text", rs);
          // Column metadata from the RowDescription alone (type names and nullability need pg_catalog).
          ResultSetMetaData rmd = rs.getMetaData();
          expect("numeric precision", rmd.getPrecision(7), 12);
          expect("numeric scale", rmd.getScale(7), 3);
          expect("varchar size", rmd.getColumnDisplaySize(9), 10);
        }
      }

      // A transaction that rolls back.
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO every_type (id) VALUES (10)");
        c.rollback();
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM every_type")) {
          rs.next();
          expect("rollback", rs.getLong(1), 1L);
        }
      }
      c.rollback();
      c.setAutoCommit(true);
      expectSqlState("unique violation", c, "INSERT INTO every_type (id) VALUES (1)", "23505");
      expectSqlState("undefined column", c, "SELECT nope FROM every_type", "42703");

      // 10,000 rows through a fetch size of 1,000.
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS many");
        s.execute("CREATE TABLE many (id int PRIMARY KEY, v text)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO many VALUES (?, ?)")) {
        for (int i = 0; i < 10000; i++) {
          ps.setInt(1, i);
          ps.setString(2, "row " + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, v FROM many ORDER BY id")) {
        ps.setFetchSize(1000);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getInt(1) != n || !rs.getString(2).equals("row " + n)) {
              failures.add("cursor row " + n);
              break;
            }
            n++;
          }
        }
        expect("rows through the fetch size", n, 10000);
      }
      c.commit();
    }
    try (Connection c = connect(true); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM every_type WHERE id = ?")) {
      ps.setInt(1, 1);
      for (int i = 0; i < 2; i++) {
        try (ResultSet rs = ps.executeQuery()) {
          expect("binary row", rs.next(), true);
          checkRow("binary", rs);
        }
      }
    }
    for (String f : failures) System.out.println("FAIL " + f);
    System.out.println("pgjdbc: " + (failures.isEmpty() ? "ok" : "FAILED") + " (" + failures.size() + " failures)");
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
