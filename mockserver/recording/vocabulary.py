"""Words the scrubber recognises and writes: Vietnamese family names and name syllables (to
find a person's name in any case, with or without diacritics), and ordinary words that are
no one's name (to write replacement text)."""

from __future__ import annotations

from functools import cache

from mockserver.generation.people import unaccent

SURNAMES = """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Trương Đinh Lâm Mai Trịnh
Đoàn Cao Lương Hà Tạ Tô Chu Châu Quách Phùng Vương Thái Lưu Triệu Kiều Khúc Đàm Tăng Lục Mạc
Nông La Lò Thân Âu Tôn Từ Quan Giang Kim Hứa Vi Thạch Diệp Doãn Viên Khổng Ông Mạch Nghiêm Bạch
Lại Hầu Đào Tống Đồng Cù Lã Ninh Phó Phí Ứng Trình Tiêu Lạc Lữ Mẫn Nhữ Khương Hàn Thân Văn
""".split()

NAME_SYLLABLES = """
An Anh Ánh Bảo Bích Bình Cảnh Châu Chi Chí Công Cường Đạt Diễm Diệp Diệu Định Dũng Dung Dương Duy
Duyên Gia Giang Hà Hải Hạnh Hào Hằng Hân Hiền Hiếu Hiệp Hoa Hòa Hoài Hoàn Hoàng Hồng Huệ Hùng Hưng
Hương Hường Huy Huyền Khánh Khang Khoa Khôi Kiên Kiều Kim Lan Lâm Liên Linh Loan Lộc Long Luân Lực
Ly Mai Mạnh Minh My Mỹ Nam Nga Ngân Nghĩa Ngọc Nguyên Nhân Nhi Nhung Như Oanh Phát Phong Phú Phúc
Phương Phượng Quang Quân Quốc Quyên Quỳnh Sang Sơn Tài Tâm Tân Thái Thanh Thành Thảo Thắng Thịnh
Thơ Thu Thủy Thư Thương Tiến Tín Toàn Trang Trâm Trí Trinh Trọng Trung Tú Tuấn Tùng Tuyết Tuyền
Uyên Vân Văn Thị Việt Vinh Vũ Vy Xuân Yến Đức Hữu Thế Tấn Bá Đình Lệ Mộng Thùy Cẩm Kiệt Khải Nhật
Phước Quý Sỹ Sĩ Thiện Thông Tiên Toản Trực Tường Vĩnh Vương Hậu Hiển Học Hợp Huân Huấn Khiêm Lượng
Nhàn Nhạn Phụng Quế Thoa Thúy Thục Trà Tuyến Viên Xuyến Bằng Chiến Chính Danh Đăng Điệp Đông Hạ
Hiên Huỳnh Khuê Kha Lợi Mẫn Ngà Nghi Nhiên Niên Phi Quyết Thạnh Thiên Thuận Tình Trúc Tuệ Ý Hiếu
Kỳ Lành Lụa Mơ Nương Sen Tươi Xinh Đào Cúc Huê Hạnh Khương Lam Liễu Mận Ngát Nhàn Tiền Tuyền Vàng
Giao Hội Hiệu Ngạn Khiết Phấn Sáng Tạo Thân Thường Trị Vỹ Yên Luyến Giáp Hợi Tý Sửu Dần Mão Thìn
""".split()

WORDS = """
công ty giấy tờ thông tin đăng ký ngày tháng năm địa chỉ điện thoại dịch vụ ngân hàng hợp đồng
bảo hiểm chi nhánh phòng giao khách sơ xác nhận mẫu đơn trang mục nội dung ghi chú số lượng giá
trị tổng cộng thuế đường phố quận huyện xã phường tỉnh thành người làm việc cấp theo quy định kết
quả kiểm tra hoàn tất đã được tại và của cho các những trong ngoài trên dưới thuộc về loại chính
phụ chứng minh nhân dân căn cước hộ chiếu giới tính quốc tịch nơi sinh thường trú đặc điểm dạng
có đến mới cũ lớn nhỏ dài ngắn sáng tối xanh đỏ vàng trắng đen nhà cửa bàn ghế sách vở bút mực
máy tính xe đạp cầu sông núi biển rừng đồng ruộng gạo nước muối đường sữa trà cà phê bánh mì
thư viện trường học lớp bài tập kỳ thi điểm đạt yêu cầu hồ sơ thủ tục hành chính
""".split()


def _plain(word: str) -> str:
    return unaccent(word).upper()


@cache
def surnames() -> frozenset[str]:
    """Family names, without diacritics, upper case."""
    from faker.providers.person.vi_VN import Provider

    return frozenset(map(_plain, (*SURNAMES, *Provider.last_names)))


@cache
def name_syllables() -> frozenset[str]:
    """Middle and given names, without diacritics, upper case."""
    from faker.providers.person.vi_VN import Provider

    tables = (*Provider.middle_names, *Provider.first_names_male, *Provider.first_names_female)
    return frozenset(map(_plain, (*NAME_SYLLABLES, *" ".join(tables).split())))


@cache
def words_by_length() -> dict[int, tuple[str, ...]]:
    """Ordinary words that are no family name, by their length: a replacement text made of
    them never reads as a person's name."""
    found: dict[int, list[str]] = {}
    for word in dict.fromkeys(WORDS):
        if _plain(word) not in surnames():
            found.setdefault(len(word), []).append(word)
    return {length: tuple(words) for length, words in found.items()}
