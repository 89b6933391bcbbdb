// sqllogictest runner (DuckDB's style) over the public API; the format is in test/sql/README.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "heliosdb/heliosdb.h"

using namespace heliosdb;

namespace {

std::string show(const Session& session, const Value& v) {
  if (v.is_null()) return "NULL";
  std::string s = session.to_text(v);
  return s.empty() ? "(empty)" : s;
}

struct Record {
  size_t line = 0;
  std::vector<std::string> head;
  std::string sql;
  bool has_expected = false;
  std::vector<std::string> expected;
};

std::vector<Record> parse(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::vector<Record> out;
  size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].empty() || lines[i][0] == '#') {
      ++i;
      continue;
    }
    Record r;
    r.line = i + 1;
    std::istringstream hs(lines[i++]);
    for (std::string w; hs >> w;) r.head.push_back(w);
    while (i < lines.size() && !lines[i].empty() && lines[i] != "----") r.sql += (r.sql.empty() ? "" : "\n") + lines[i++];
    if (i < lines.size() && lines[i] == "----") {
      r.has_expected = true;
      ++i;
      while (i < lines.size() && !lines[i].empty()) r.expected.push_back(lines[i++]);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int passed = 0, failed = 0;
  for (int f = 1; f < argc; ++f) {
    std::string path = argv[f];
    auto records = parse(path);
    // Files that use `restart` run on disk so that data must survive close and reopen.
    bool on_disk = std::any_of(records.begin(), records.end(), [](const Record& r) { return r.head[0] == "restart"; });
    std::filesystem::path dir;
    if (on_disk) {
      dir = std::filesystem::temp_directory_path() / ("heliosdb-sqllogic-" + std::to_string(std::random_device{}()));
      std::filesystem::remove_all(dir);
    }
    auto open = [&] { return on_disk ? Database::open(dir.string()) : Database::open_in_memory(); };
    std::optional<Database> db = open();
    std::optional<Session> session = db->session();
    for (const auto& r : records) {
      const std::string& kind = r.head[0];
      if (kind == "halt") break;
      if (kind == "restart") {
        session.reset();
        db.reset();
        db = open();
        session = db->session();
        continue;
      }
      std::string why;
      try {
        Result res = session->execute(r.sql);
        if (kind == "statement") {
          if (r.head.size() < 2 || r.head[1] != "ok") why = "expected an error, the statement succeeded";
          else if (r.has_expected && (r.expected.empty() || res.command_tag() != r.expected[0]))
            why = "command tag " + res.command_tag() + ", expected " + (r.expected.empty() ? "" : r.expected[0]);
        } else if (kind == "query") {
          std::vector<std::string> got, want = r.expected;
          for (const auto& row : res.rows()) {
            std::string line;
            for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + show(*session, row[c]);
            got.push_back(line);
          }
          if (r.head.size() > 1 && res.columns().size() != r.head[1].size())
            why = "query returned " + std::to_string(res.columns().size()) + " columns, expected " + std::to_string(r.head[1].size());
          if (r.head.size() > 2 && r.head[2] == "rowsort") {
            std::sort(got.begin(), got.end());
            std::sort(want.begin(), want.end());
          }
          if (why.empty() && got != want) {
            why = "rows differ\n  expected:\n";
            for (const auto& w : want) why += "    " + w + "\n";
            why += "  actual:\n";
            for (const auto& g : got) why += "    " + g + "\n";
          }
        } else {
          why = "unknown record type " + kind;
        }
      } catch (const Error& e) {
        if (kind == "statement" && r.head.size() > 1 && r.head[1] == "error") {
          std::string msg;
          for (size_t k = 3; k < r.head.size(); ++k) msg += (k > 3 ? " " : "") + r.head[k];
          if (r.head.size() > 2 && e.sqlstate() != r.head[2])
            why = "error " + e.sqlstate() + " (" + e.message() + "), expected " + r.head[2];
          else if (!msg.empty() && e.message().find(msg) == std::string::npos)
            why = "error message \"" + e.message() + "\" lacks \"" + msg + "\"";
        } else {
          why = "unexpected error " + e.sqlstate() + ": " + e.message();
        }
      }
      if (why.empty()) {
        ++passed;
      } else {
        ++failed;
        std::cout << path << ":" << r.line << ": " << why << "\n  SQL: " << r.sql << "\n";
      }
    }
    session.reset();
    db.reset();
    if (on_disk) std::filesystem::remove_all(dir);
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}
