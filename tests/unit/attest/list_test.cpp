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
    TemplateSet set;
    const TemplateDesc* t = set.find("d-ng|n-ng|sig");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->fields.size(), 3u);
    EXPECT_EQ(set.find("d-ng|n-ng|sig"), t);
    EXPECT_EQ(set.find("d-ng||n-ng"), nullptr);
    EXPECT_EQ(set.find("d-ng|nope"), nullptr);
    EXPECT_EQ(set.find("ima-sig")->index_of("sig"), 2);
    EXPECT_TRUE(set.find("ima")->is_ima());
    EXPECT_EQ(builtin_template("d-ng|n-ng|sig"), nullptr);  // custom formats belong to a list, not the process
}

TEST(MeasurementList, CustomTemplatesLiveWithTheirList) {
    // A hostile list naming a thousand formats grows only its own set.
    ima::Bytes bytes;
    auto u32 = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    for (int i = 1; i <= 1000; ++i) {
        std::string name = "d-ng";
        for (int k = 0; k < i % 14; ++k) name += "|n-ng";
        u32(10);
        bytes.insert(bytes.end(), 20, 1);
        u32(static_cast<uint32_t>(name.size()));
        bytes.insert(bytes.end(), name.begin(), name.end());
        u32(0);
    }
    MeasurementList list = parse_measurement_list(bytes, ParseOptions{OrderChoice::little});
    ASSERT_EQ(list.entries.size(), 1000u);
    EXPECT_NE(list.entries[0].desc, nullptr);
    EXPECT_EQ(builtin_template("d-ng|n-ng"), nullptr);
}

TEST(ListScanner, AStreamOfZerosFailsAtItsFirstEntry) {
    // /dev/zero, or anything else that is not a list, is refused after its
    // first 28 bytes, not read until memory runs out.
    ListScanner scan(ParseOptions{});
    ima::Bytes zeros(4096, 0);
    try {
        scan.feed(zeros);
        FAIL() << "zeros accepted as entries";
    } catch (const ima::FormatError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("not a measurement list: the first entry", 0), 0u) << e.what();
    }
}

TEST(ListScanner, WaitsForAnEntryCutByTheReadAndChecksItWhenWhole) {
    ima::Bytes all = test::read_bytes(test::synthetic("ng.log"));
    ListScanner scan(ParseOptions{});
    for (size_t n = 1; n <= all.size(); n += 37) scan.feed(ima::ByteView(all.data(), n));
    scan.feed(all);
    EXPECT_EQ(scan.entries(), parse_measurement_list(all).entries.size());
}

TEST(ListScanner, HugeTemplateDataLengthsAreRefusedBeforeTheyArrive) {
    ima::Bytes b;
    auto u32 = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    u32(10);
    b.insert(b.end(), 20, 1);
    u32(6);
    for (char c : std::string("ima-ng")) b.push_back(static_cast<uint8_t>(c));
    u32(0xfffffff0u);  // four GiB of template data "to come"
    ListScanner scan(ParseOptions{OrderChoice::little});
    EXPECT_THROW(scan.feed(b), ima::FormatError);
}

TEST(MeasurementList, PerBankListsDetectTheirByteOrderWithTheirDigestSize) {
    // binary_runtime_measurements_sha256: 32-byte template digests.
    ima::Bytes b;
    auto u32be = [&](uint32_t v) {
        for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    u32be(10);
    b.insert(b.end(), 32, 0xab);
    u32be(6);
    for (char c : std::string("ima-ng")) b.push_back(static_cast<uint8_t>(c));
    u32be(0);
    ParseOptions o;
    o.digest_algo = ima::HashAlgo::sha256;
    MeasurementList list = parse_measurement_list(b, o);
    EXPECT_EQ(list.order, ByteOrder::big);
    EXPECT_EQ(list.entries.size(), 1u);
}
