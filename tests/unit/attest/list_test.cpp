// The binary measurement list parser on the synthetic lists of every
// template and on malformed input.
#include "ima/measurement/list.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/error.hpp"
#include "ima/measurement/fields.hpp"

using namespace ima::measurement;

namespace {

ima::Bytes le32(uint32_t v) {
    return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}
void put(ima::Bytes& out, const ima::Bytes& b) {
    out.insert(out.end(), b.begin(), b.end());
}
void put(ima::Bytes& out, const std::string& s) {
    out.insert(out.end(), s.begin(), s.end());
}

// One ima-ng entry, little-endian, with a made-up digest.
ima::Bytes ng_entry(const std::string& path, uint32_t pcr = 10) {
    ima::Bytes d = {'s', 'h', 'a', '1', ':', 0};
    d.resize(d.size() + 20, 0xab);
    std::string n = path + std::string(1, '\0');
    ima::Bytes data;
    put(data, le32(uint32_t(d.size())));
    put(data, d);
    put(data, le32(uint32_t(n.size())));
    put(data, n);
    ima::Bytes e;
    put(e, le32(pcr));
    e.resize(e.size() + 20, 0x11);
    put(e, le32(6));
    put(e, std::string("ima-ng"));
    put(e, le32(uint32_t(data.size())));
    put(e, data);
    return e;
}

}  // namespace

TEST(MeasurementList, ParsesEveryTemplateOfTheSyntheticList) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    const auto& list = l->list;
    ASSERT_EQ(list.entries.size(), 22u);
    EXPECT_EQ(list.order, ByteOrder::little);
    EXPECT_EQ(list.entries[0].template_name, "ima-ng");
    EXPECT_EQ(*entry_event_name(list.entries[0]), "boot_aggregate");
    std::vector<std::string> names;
    for (const auto& e : list.entries) names.emplace_back(e.template_name);
    for (const char* t : {"ima-ng", "ima-sig", "ima-buf", "ima-modsig", "evm-sig", "ima-ngv2", "d-ng|n-ng|iuid|imode"})
        EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
    ASSERT_EQ(list.unknown_templates, std::vector<std::string>{"vendor-tmpl"});
    for (const auto& e : list.entries) {
        EXPECT_EQ(e.problem, "") << e.index;
        if (e.template_name == "vendor-tmpl") {
            EXPECT_EQ(e.desc, nullptr);
            EXPECT_TRUE(e.fields.empty());
        } else {
            ASSERT_NE(e.desc, nullptr);
            EXPECT_EQ(e.fields.size(), e.desc->fields.size());
        }
    }
    EXPECT_EQ(list.entries[20].pcr, 10u);
    EXPECT_EQ(list.entries[19].pcr, 11u);
    EXPECT_TRUE(list.entries[21].is_violation());
    EXPECT_FALSE(list.entries[1].is_violation());
}

TEST(MeasurementList, DecodesDigestsNamesAndIntegers) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    const auto& list = l->list;
    auto d = entry_file_digest(list.entries[2]);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->algo_name, "sha1");
    EXPECT_EQ(d->digest.size(), 20u);
    EXPECT_EQ(*entry_event_name(list.entries[3]), "/usr/bin/with_space");  // the kernel writes '_' for ' '
    const Entry& v2 = list.entries[16];
    ASSERT_EQ(v2.template_name, "ima-ngv2");
    d = entry_file_digest(v2);
    EXPECT_EQ(d->type, "ima");
    EXPECT_EQ(d->algo, ima::HashAlgo::sha256);
    const Entry& custom = list.entries[17];
    EXPECT_EQ(*decode_uint(*custom.field("iuid"), list.order), 1000u);
    EXPECT_EQ(*decode_uint(*custom.field("imode"), list.order), 0100644u);
}

TEST(MeasurementList, DetectsABigEndianList) {
    auto big = load_measurement_list(test::synthetic("all-be.log"));
    auto little = load_measurement_list(test::synthetic("all.log"));
    EXPECT_EQ(big->list.order, ByteOrder::big);
    ASSERT_EQ(big->list.entries.size(), 20u);
    EXPECT_EQ(*decode_uint(*big->list.entries[17].field("iuid"), ByteOrder::big), 1000u);
    // Forcing the wrong order fails on the first entry, naming it.
    ParseOptions o;
    o.order = OrderChoice::little;
    try {
        parse_measurement_list(big->bytes, o);
        FAIL();
    } catch (const ima::FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("entry 1 at byte 0: PCR 167772160 is out of range"), std::string::npos)
            << e.what();
    }
}

TEST(MeasurementList, ParsesTheOriginalImaTemplate) {
    auto l = load_measurement_list(test::synthetic("ima.log"));
    ASSERT_EQ(l->list.entries.size(), 12u);
    const Entry& e = l->list.entries[1];
    EXPECT_EQ(e.template_name, "ima");
    ASSERT_EQ(e.fields.size(), 2u);
    EXPECT_EQ(e.fields[0].size(), 20u);
    EXPECT_EQ(*entry_event_name(e), "/usr/bin/prog-1");
    EXPECT_EQ(entry_file_digest(e)->algo, ima::HashAlgo::sha1);
}

TEST(MeasurementList, EmptyInputIsAnEmptyList) {
    auto list = parse_measurement_list({});
    EXPECT_TRUE(list.entries.empty());
}

TEST(MeasurementList, EveryTruncationIsAFormatErrorNamingTheEntry) {
    ima::Bytes two = ng_entry("/a");
    put(two, ng_entry("/bb"));
    size_t first = ng_entry("/a").size();
    for (size_t n = first + 1; n < two.size(); ++n) {
        ima::ByteView cut(two.data(), n);
        try {
            parse_measurement_list(cut);
            FAIL() << "no error at " << n;
        } catch (const ima::FormatError& e) {
            EXPECT_NE(std::string(e.what()).find("entry 2 at byte " + std::to_string(first)), std::string::npos)
                << e.what();
        }
    }
    EXPECT_EQ(parse_measurement_list(two).entries.size(), 2u);
}

TEST(MeasurementList, RejectsBadHeaders) {
    ima::Bytes e = ng_entry("/a", 24);
    EXPECT_THROW(parse_measurement_list(e, {OrderChoice::little}), ima::FormatError);
    EXPECT_THROW(parse_measurement_list(e), ima::FormatError);  // no plausible order at all
    e = ng_entry("/a");
    e[24] = 0;  // template name length 0
    EXPECT_THROW(parse_measurement_list(e, {OrderChoice::little}), ima::FormatError);
}

TEST(MeasurementList, KeepsAnEntryWhoseFieldsDoNotSplit) {
    ima::Bytes e = ng_entry("/a");
    // Make the path field claim one byte more than there is.
    size_t name_len_at = 4 + 20 + 4 + 6 + 4 + 4 + 26;
    e[name_len_at] += 1;
    auto list = parse_measurement_list(e);
    ASSERT_EQ(list.entries.size(), 1u);
    EXPECT_NE(list.entries[0].problem.find("field 'n-ng' claims 4 bytes, 3 left"), std::string::npos)
        << list.entries[0].problem;
    EXPECT_TRUE(list.entries[0].fields.empty());
    EXPECT_EQ(list.entries[0].field("n-ng"), nullptr);
}

TEST(MeasurementList, PerBankFilesCarryTheBankDigest) {
    EXPECT_EQ(digest_algo_from_file_name("/sys/kernel/security/ima/binary_runtime_measurements_sha256"),
              ima::HashAlgo::sha256);
    EXPECT_EQ(digest_algo_from_file_name("binary_runtime_measurements"), ima::HashAlgo::sha1);
    EXPECT_EQ(digest_algo_from_file_name("x/binary_runtime_measurements_nope"), ima::HashAlgo::sha1);
}

TEST(MeasurementList, CustomFormatsAndUnknownTemplates) {
    const TemplateDesc* t = find_template("d-ng|n-ng|sig");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->fields.size(), 3u);
    EXPECT_EQ(find_template("d-ng|n-ng|sig"), t);
    EXPECT_EQ(find_template("d-ng||n-ng"), nullptr);
    EXPECT_EQ(find_template("d-ng|nope"), nullptr);
    EXPECT_EQ(find_template("ima-sig")->index_of("sig"), 2);
    EXPECT_TRUE(find_template("ima")->is_ima());
}
