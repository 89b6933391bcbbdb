// Assignment into arrays: PostgreSQL's array_set_element and array_set_slice (arrayfuncs.c),
// behind UPDATE t SET a[i] = x, a[i:j] = y and INSERT INTO t (a[i]) ....
#include <algorithm>

#include "common/array.h"
#include "common/errors.h"

namespace heliosdb::array {
namespace {

constexpr size_t kMaxDims = 6;                // MAXDIM
constexpr int64_t kMaxArraySize = 134217727;  // MaxAllocSize / sizeof(Datum)

[[noreturn]] void too_large() {
  raise(sqlstate::kProgramLimitExceeded, "array size exceeds the maximum allowed ({})", kMaxArraySize);
}

[[noreturn]] void wrong_subscripts() { raise(sqlstate::kArraySubscriptError, "wrong number of array subscripts"); }

// ArrayGetNItems: the number of items of an array of these dimensions (54000 past the limit).
int64_t item_count(std::span<const int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || d > INT32_MAX) too_large();
    n *= d;
    if (n > kMaxArraySize) too_large();
  }
  return n;
}

// ArrayGetNItems then ArrayCheckBounds: the new shape is one PostgreSQL can hold; its upper
// bounds fit an int4.
int64_t check_shape(std::span<const int64_t> dims, std::span<const int64_t> lbounds) {
  int64_t n = item_count(dims);
  for (size_t d = 0; d < dims.size(); ++d)
    if (lbounds[d] + dims[d] > INT32_MAX)
      raise(sqlstate::kProgramLimitExceeded, "array lower bound is too large: {}", lbounds[d]);
  return n;
}

// A one-dimensional array grown to hold [lo, hi] (NULLs where nothing was).
void grow(Array& a, int64_t lo, int64_t hi) {
  int64_t lb = a.lbounds[0], dim = a.dims[0];
  int64_t before = lo < lb ? lb - lo : 0;
  int64_t after = hi >= lb + dim ? hi - (lb + dim) + 1 : 0;
  int64_t dims[] = {dim + before + after}, lbounds[] = {before ? lo : lb};
  check_shape(dims, lbounds);
  a.items.insert(a.items.begin(), static_cast<size_t>(before), Value::null(a.elem));
  a.items.insert(a.items.end(), static_cast<size_t>(after), Value::null(a.elem));
  a.dims[0] = static_cast<int32_t>(dims[0]);
  a.lbounds[0] = static_cast<int32_t>(lbounds[0]);
}

Value as_element(const Array& a, Value v) { return v.is_null() ? Value::null(a.elem) : v; }

}  // namespace

Value element_at(const Array& a, std::span<const int32_t> subscripts) {
  if (subscripts.size() != a.dims.size()) return Value::null(a.elem);
  size_t offset = 0;
  for (size_t d = 0; d < a.dims.size(); ++d) {
    int64_t k = int64_t{subscripts[d]} - a.lbounds[d];
    if (k < 0 || k >= a.dims[d]) return Value::null(a.elem);
    offset = offset * static_cast<size_t>(a.dims[d]) + static_cast<size_t>(k);
  }
  return a.items[offset];
}

void assign_element(Array& a, std::span<const int32_t> subscripts, Value v) {
  size_t n = subscripts.size();
  if (n == 0 || n > kMaxDims) wrong_subscripts();
  if (a.dims.empty()) {
    std::vector<int64_t> dims(n, 1), lbounds(subscripts.begin(), subscripts.end());
    check_shape(dims, lbounds);
    a.dims.assign(n, 1);
    a.lbounds.assign(subscripts.begin(), subscripts.end());
    a.items = {as_element(a, std::move(v))};
    return;
  }
  if (a.dims.size() != n) wrong_subscripts();
  if (n == 1) {
    grow(a, subscripts[0], subscripts[0]);
  } else {
    // PostgreSQL does not extend multi-dimensional arrays in assignment.
    for (size_t d = 0; d < n; ++d)
      if (subscripts[d] < a.lbounds[d] || int64_t{subscripts[d]} >= int64_t{a.lbounds[d]} + a.dims[d])
        raise(sqlstate::kArraySubscriptError, "array subscript out of range");
  }
  size_t offset = 0;
  for (size_t d = 0; d < n; ++d)
    offset = offset * static_cast<size_t>(a.dims[d]) + static_cast<size_t>(int64_t{subscripts[d]} - a.lbounds[d]);
  a.items[offset] = as_element(a, std::move(v));
}

void assign_slice(Array& a, std::span<const std::optional<int32_t>> lower,
                  std::span<const std::optional<int32_t>> upper, const Array& src) {
  size_t n = upper.size();
  if (a.dims.empty()) {
    // The slice becomes the array: its bounds must all be given.
    std::vector<int64_t> dims(n), lbounds(n);
    for (size_t d = 0; d < n; ++d) {
      if (!lower[d] || !upper[d])
        throw Error(sqlstate::kArraySubscriptError, "array slice subscript must provide both boundaries")
            .with_detail(
                "When assigning to a slice of an empty array value, slice boundaries must be fully specified.");
      dims[d] = int64_t{*upper[d]} - *lower[d] + 1;
      lbounds[d] = *lower[d];
    }
    int64_t count = item_count(dims);
    if (static_cast<int64_t>(src.items.size()) < count) raise(sqlstate::kArraySubscriptError, "source array too small");
    if (count == 0) return;  // [3:2]: still empty
    check_shape(dims, lbounds);
    a.dims.assign(dims.begin(), dims.end());
    a.lbounds.assign(lbounds.begin(), lbounds.end());
    a.items.assign(src.items.begin(), src.items.begin() + count);
    return;
  }
  size_t nd = a.dims.size();
  if (nd < n || n == 0 || nd > kMaxDims) wrong_subscripts();
  std::vector<int64_t> lo(nd), hi(nd);
  for (size_t d = 0; d < nd; ++d) {
    int64_t first = a.lbounds[d], last = int64_t{a.lbounds[d]} + a.dims[d] - 1;
    lo[d] = d < n && lower[d] ? *lower[d] : first;
    hi[d] = d < n && upper[d] ? *upper[d] : last;
    if (lo[d] > hi[d]) raise(sqlstate::kArraySubscriptError, "upper bound cannot be less than lower bound");
    if (nd > 1 && (lo[d] < first || hi[d] > last))
      raise(sqlstate::kArraySubscriptError, "array subscript out of range");
  }
  if (nd == 1) grow(a, lo[0], hi[0]);
  std::vector<int64_t> span(nd);
  for (size_t d = 0; d < nd; ++d) span[d] = hi[d] - lo[d] + 1;
  // The source's items are read in order, whatever its shape; extra ones are ignored.
  if (item_count(span) > static_cast<int64_t>(src.items.size()))
    raise(sqlstate::kArraySubscriptError, "source array too small");
  std::vector<int64_t> idx(lo);
  for (size_t from = 0;; ++from) {
    size_t offset = 0;
    for (size_t d = 0; d < nd; ++d)
      offset = offset * static_cast<size_t>(a.dims[d]) + static_cast<size_t>(idx[d] - a.lbounds[d]);
    a.items[offset] = as_element(a, src.items[from]);
    size_t d = nd;
    while (d > 0 && ++idx[d - 1] > hi[d - 1]) {
      idx[d - 1] = lo[d - 1];
      --d;
    }
    if (d == 0) break;
  }
}

}  // namespace heliosdb::array
