/// The Windows time zone names Outlook and Exchange write in `TZID` ("W. Europe Standard Time"),
/// and the display names some exports write instead ("(UTC+01:00) Amsterdam, Berlin, …"), with
/// the IANA zone each stands for.
///
/// The table is data, not code: the `territory="001"` rows of CLDR's
/// `common/supplemental/windowsZones.xml` (mapTimezones typeVersion 2021a), one line per Windows
/// zone, tab-separated: Windows name, IANA name, display name. To bring it up to date, take those
/// rows (and the comment above each) from a newer CLDR release.
enum WindowsZones {
    /// The IANA name for a Windows zone name or display name, ignoring case; nil when unknown.
    static func ianaName(for windowsName: String) -> String? {
        byName[windowsName.lowercased()]
    }

    private static let byName: [String: String] = {
        var names: [String: String] = [:]
        for line in table.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3 else { continue }
            names[columns[0].lowercased()] = columns[1]
            names[columns[2].lowercased()] = columns[1]
        }
        return names
    }()

    private static let table = """
        Dateline Standard Time\tEtc/GMT+12\t(UTC-12:00) International Date Line West
        UTC-11\tEtc/GMT+11\t(UTC-11:00) Coordinated Universal Time-11
        Aleutian Standard Time\tAmerica/Adak\t(UTC-10:00) Aleutian Islands
        Hawaiian Standard Time\tPacific/Honolulu\t(UTC-10:00) Hawaii
        Marquesas Standard Time\tPacific/Marquesas\t(UTC-09:30) Marquesas Islands
        Alaskan Standard Time\tAmerica/Anchorage\t(UTC-09:00) Alaska
        UTC-09\tEtc/GMT+9\t(UTC-09:00) Coordinated Universal Time-09
        Pacific Standard Time (Mexico)\tAmerica/Tijuana\t(UTC-08:00) Baja California
        UTC-08\tEtc/GMT+8\t(UTC-08:00) Coordinated Universal Time-08
        Pacific Standard Time\tAmerica/Los_Angeles\t(UTC-08:00) Pacific Time (US & Canada)
        US Mountain Standard Time\tAmerica/Phoenix\t(UTC-07:00) Arizona
        Mountain Standard Time (Mexico)\tAmerica/Mazatlan\t(UTC-07:00) Chihuahua, La Paz, Mazatlan
        Mountain Standard Time\tAmerica/Denver\t(UTC-07:00) Mountain Time (US & Canada)
        Yukon Standard Time\tAmerica/Whitehorse\t(UTC-07:00) Yukon
        Central America Standard Time\tAmerica/Guatemala\t(UTC-06:00) Central America
        Central Standard Time\tAmerica/Chicago\t(UTC-06:00) Central Time (US & Canada)
        Easter Island Standard Time\tPacific/Easter\t(UTC-06:00) Easter Island
        Central Standard Time (Mexico)\tAmerica/Mexico_City\t(UTC-06:00) Guadalajara, Mexico City, Monterrey
        Canada Central Standard Time\tAmerica/Regina\t(UTC-06:00) Saskatchewan
        SA Pacific Standard Time\tAmerica/Bogota\t(UTC-05:00) Bogota, Lima, Quito, Rio Branco
        Eastern Standard Time (Mexico)\tAmerica/Cancun\t(UTC-05:00) Chetumal
        Eastern Standard Time\tAmerica/New_York\t(UTC-05:00) Eastern Time (US & Canada)
        Haiti Standard Time\tAmerica/Port-au-Prince\t(UTC-05:00) Haiti
        Cuba Standard Time\tAmerica/Havana\t(UTC-05:00) Havana
        US Eastern Standard Time\tAmerica/Indianapolis\t(UTC-05:00) Indiana (East)
        Turks And Caicos Standard Time\tAmerica/Grand_Turk\t(UTC-05:00) Turks and Caicos
        Paraguay Standard Time\tAmerica/Asuncion\t(UTC-04:00) Asuncion
        Atlantic Standard Time\tAmerica/Halifax\t(UTC-04:00) Atlantic Time (Canada)
        Venezuela Standard Time\tAmerica/Caracas\t(UTC-04:00) Caracas
        Central Brazilian Standard Time\tAmerica/Cuiaba\t(UTC-04:00) Cuiaba
        SA Western Standard Time\tAmerica/La_Paz\t(UTC-04:00) Georgetown, La Paz, Manaus, San Juan
        Pacific SA Standard Time\tAmerica/Santiago\t(UTC-04:00) Santiago
        Newfoundland Standard Time\tAmerica/St_Johns\t(UTC-03:30) Newfoundland
        Tocantins Standard Time\tAmerica/Araguaina\t(UTC-03:00) Araguaina
        E. South America Standard Time\tAmerica/Sao_Paulo\t(UTC-03:00) Brasilia
        SA Eastern Standard Time\tAmerica/Cayenne\t(UTC-03:00) Cayenne, Fortaleza
        Argentina Standard Time\tAmerica/Buenos_Aires\t(UTC-03:00) City of Buenos Aires
        Greenland Standard Time\tAmerica/Godthab\t(UTC-03:00) Greenland
        Montevideo Standard Time\tAmerica/Montevideo\t(UTC-03:00) Montevideo
        Magallanes Standard Time\tAmerica/Punta_Arenas\t(UTC-03:00) Punta Arenas
        Saint Pierre Standard Time\tAmerica/Miquelon\t(UTC-03:00) Saint Pierre and Miquelon
        Bahia Standard Time\tAmerica/Bahia\t(UTC-03:00) Salvador
        UTC-02\tEtc/GMT+2\t(UTC-02:00) Coordinated Universal Time-02
        Azores Standard Time\tAtlantic/Azores\t(UTC-01:00) Azores
        Cape Verde Standard Time\tAtlantic/Cape_Verde\t(UTC-01:00) Cabo Verde Is.
        UTC\tEtc/UTC\t(UTC) Coordinated Universal Time
        GMT Standard Time\tEurope/London\t(UTC+00:00) Dublin, Edinburgh, Lisbon, London
        Greenwich Standard Time\tAtlantic/Reykjavik\t(UTC+00:00) Monrovia, Reykjavik
        Sao Tome Standard Time\tAfrica/Sao_Tome\t(UTC+00:00) Sao Tome
        Morocco Standard Time\tAfrica/Casablanca\t(UTC+01:00) Casablanca
        W. Europe Standard Time\tEurope/Berlin\t(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna
        Central Europe Standard Time\tEurope/Budapest\t(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague
        Romance Standard Time\tEurope/Paris\t(UTC+01:00) Brussels, Copenhagen, Madrid, Paris
        Central European Standard Time\tEurope/Warsaw\t(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb
        W. Central Africa Standard Time\tAfrica/Lagos\t(UTC+01:00) West Central Africa
        Jordan Standard Time\tAsia/Amman\t(UTC+02:00) Amman
        GTB Standard Time\tEurope/Bucharest\t(UTC+02:00) Athens, Bucharest
        Middle East Standard Time\tAsia/Beirut\t(UTC+02:00) Beirut
        Egypt Standard Time\tAfrica/Cairo\t(UTC+02:00) Cairo
        E. Europe Standard Time\tEurope/Chisinau\t(UTC+02:00) Chisinau
        Syria Standard Time\tAsia/Damascus\t(UTC+02:00) Damascus
        West Bank Standard Time\tAsia/Hebron\t(UTC+02:00) Gaza, Hebron
        South Africa Standard Time\tAfrica/Johannesburg\t(UTC+02:00) Harare, Pretoria
        FLE Standard Time\tEurope/Kiev\t(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius
        Israel Standard Time\tAsia/Jerusalem\t(UTC+02:00) Jerusalem
        South Sudan Standard Time\tAfrica/Juba\t(UTC+02:00) Juba
        Kaliningrad Standard Time\tEurope/Kaliningrad\t(UTC+02:00) Kaliningrad
        Sudan Standard Time\tAfrica/Khartoum\t(UTC+02:00) Khartoum
        Libya Standard Time\tAfrica/Tripoli\t(UTC+02:00) Tripoli
        Namibia Standard Time\tAfrica/Windhoek\t(UTC+02:00) Windhoek
        Arabic Standard Time\tAsia/Baghdad\t(UTC+03:00) Baghdad
        Turkey Standard Time\tEurope/Istanbul\t(UTC+03:00) Istanbul
        Arab Standard Time\tAsia/Riyadh\t(UTC+03:00) Kuwait, Riyadh
        Belarus Standard Time\tEurope/Minsk\t(UTC+03:00) Minsk
        Russian Standard Time\tEurope/Moscow\t(UTC+03:00) Moscow, St. Petersburg
        E. Africa Standard Time\tAfrica/Nairobi\t(UTC+03:00) Nairobi
        Iran Standard Time\tAsia/Tehran\t(UTC+03:30) Tehran
        Arabian Standard Time\tAsia/Dubai\t(UTC+04:00) Abu Dhabi, Muscat
        Astrakhan Standard Time\tEurope/Astrakhan\t(UTC+04:00) Astrakhan, Ulyanovsk
        Azerbaijan Standard Time\tAsia/Baku\t(UTC+04:00) Baku
        Russia Time Zone 3\tEurope/Samara\t(UTC+04:00) Izhevsk, Samara
        Mauritius Standard Time\tIndian/Mauritius\t(UTC+04:00) Port Louis
        Saratov Standard Time\tEurope/Saratov\t(UTC+04:00) Saratov
        Georgian Standard Time\tAsia/Tbilisi\t(UTC+04:00) Tbilisi
        Volgograd Standard Time\tEurope/Volgograd\t(UTC+04:00) Volgograd
        Caucasus Standard Time\tAsia/Yerevan\t(UTC+04:00) Yerevan
        Afghanistan Standard Time\tAsia/Kabul\t(UTC+04:30) Kabul
        West Asia Standard Time\tAsia/Tashkent\t(UTC+05:00) Ashgabat, Tashkent
        Ekaterinburg Standard Time\tAsia/Yekaterinburg\t(UTC+05:00) Ekaterinburg
        Pakistan Standard Time\tAsia/Karachi\t(UTC+05:00) Islamabad, Karachi
        Qyzylorda Standard Time\tAsia/Qyzylorda\t(UTC+05:00) Qyzylorda
        India Standard Time\tAsia/Calcutta\t(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi
        Sri Lanka Standard Time\tAsia/Colombo\t(UTC+05:30) Sri Jayawardenepura
        Nepal Standard Time\tAsia/Katmandu\t(UTC+05:45) Kathmandu
        Central Asia Standard Time\tAsia/Bishkek\t(UTC+06:00) Astana
        Bangladesh Standard Time\tAsia/Dhaka\t(UTC+06:00) Dhaka
        Omsk Standard Time\tAsia/Omsk\t(UTC+06:00) Omsk
        Myanmar Standard Time\tAsia/Rangoon\t(UTC+06:30) Yangon (Rangoon)
        SE Asia Standard Time\tAsia/Bangkok\t(UTC+07:00) Bangkok, Hanoi, Jakarta
        Altai Standard Time\tAsia/Barnaul\t(UTC+07:00) Barnaul, Gorno-Altaysk
        W. Mongolia Standard Time\tAsia/Hovd\t(UTC+07:00) Hovd
        North Asia Standard Time\tAsia/Krasnoyarsk\t(UTC+07:00) Krasnoyarsk
        N. Central Asia Standard Time\tAsia/Novosibirsk\t(UTC+07:00) Novosibirsk
        Tomsk Standard Time\tAsia/Tomsk\t(UTC+07:00) Tomsk
        China Standard Time\tAsia/Shanghai\t(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi
        North Asia East Standard Time\tAsia/Irkutsk\t(UTC+08:00) Irkutsk
        Singapore Standard Time\tAsia/Singapore\t(UTC+08:00) Kuala Lumpur, Singapore
        W. Australia Standard Time\tAustralia/Perth\t(UTC+08:00) Perth
        Taipei Standard Time\tAsia/Taipei\t(UTC+08:00) Taipei
        Ulaanbaatar Standard Time\tAsia/Ulaanbaatar\t(UTC+08:00) Ulaanbaatar
        Aus Central W. Standard Time\tAustralia/Eucla\t(UTC+08:45) Eucla
        Transbaikal Standard Time\tAsia/Chita\t(UTC+09:00) Chita
        Tokyo Standard Time\tAsia/Tokyo\t(UTC+09:00) Osaka, Sapporo, Tokyo
        North Korea Standard Time\tAsia/Pyongyang\t(UTC+09:00) Pyongyang
        Korea Standard Time\tAsia/Seoul\t(UTC+09:00) Seoul
        Yakutsk Standard Time\tAsia/Yakutsk\t(UTC+09:00) Yakutsk
        Cen. Australia Standard Time\tAustralia/Adelaide\t(UTC+09:30) Adelaide
        AUS Central Standard Time\tAustralia/Darwin\t(UTC+09:30) Darwin
        E. Australia Standard Time\tAustralia/Brisbane\t(UTC+10:00) Brisbane
        AUS Eastern Standard Time\tAustralia/Sydney\t(UTC+10:00) Canberra, Melbourne, Sydney
        West Pacific Standard Time\tPacific/Port_Moresby\t(UTC+10:00) Guam, Port Moresby
        Tasmania Standard Time\tAustralia/Hobart\t(UTC+10:00) Hobart
        Vladivostok Standard Time\tAsia/Vladivostok\t(UTC+10:00) Vladivostok
        Lord Howe Standard Time\tAustralia/Lord_Howe\t(UTC+10:30) Lord Howe Island
        Bougainville Standard Time\tPacific/Bougainville\t(UTC+11:00) Bougainville Island
        Russia Time Zone 10\tAsia/Srednekolymsk\t(UTC+11:00) Chokurdakh
        Magadan Standard Time\tAsia/Magadan\t(UTC+11:00) Magadan
        Norfolk Standard Time\tPacific/Norfolk\t(UTC+11:00) Norfolk Island
        Sakhalin Standard Time\tAsia/Sakhalin\t(UTC+11:00) Sakhalin
        Central Pacific Standard Time\tPacific/Guadalcanal\t(UTC+11:00) Solomon Is., New Caledonia
        Russia Time Zone 11\tAsia/Kamchatka\t(UTC+12:00) Anadyr, Petropavlovsk-Kamchatsky
        New Zealand Standard Time\tPacific/Auckland\t(UTC+12:00) Auckland, Wellington
        UTC+12\tEtc/GMT-12\t(UTC+12:00) Coordinated Universal Time+12
        Fiji Standard Time\tPacific/Fiji\t(UTC+12:00) Fiji
        Chatham Islands Standard Time\tPacific/Chatham\t(UTC+12:45) Chatham Islands
        UTC+13\tEtc/GMT-13\t(UTC+13:00) Coordinated Universal Time+13
        Tonga Standard Time\tPacific/Tongatapu\t(UTC+13:00) Nuku'alofa
        Samoa Standard Time\tPacific/Apia\t(UTC+13:00) Samoa
        Line Islands Standard Time\tPacific/Kiritimati\t(UTC+14:00) Kiritimati Island
        """
}
